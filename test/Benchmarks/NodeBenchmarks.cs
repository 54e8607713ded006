using System.Text.Json;
using OrleansWg.NodeHost.Docker;
using OrleansWg.NodeHost.WireGuard;
using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>The node's costs: peers through UAPI against wg as a process, and a new user's container, warm or cold.</summary>
public static class NodeBenchmarks
{
    private const int PeerSamples = 1000;
    private const int ContainerSamples = 25;

    public sealed record Figures(
        Latencies WireGuardPeer, Latencies WgSetPeer, Latencies RawStart, Latencies ColdConnect, Latencies WarmContainerConnect,
        Latencies LiveContainerConnect, Latencies DuringRefillConnect);

    public static async Task<Figures> RunAsync()
    {
        var (uapi, wgSet) = await PeerChanges();
        var (raw, cold) = await ColdConnectsBesideRawStarts();
        var (warm, live, duringRefill) = await WarmContainerConnects();
        return new Figures(uapi, wgSet, raw, cold, warm, live, duringRefill);
    }

    /// <summary>Adding and removing one peer on a wireguard-go interface, both ways.</summary>
    private static async Task<(Latencies Uapi, Latencies WgSet)> PeerChanges()
    {
        await using var host = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses);
        using var device = new UapiClient($"/var/run/wireguard/{host.Interface}.sock", TimeSpan.FromSeconds(5));
        var peer = WireGuardKey.CreatePair().PublicKey;
        var uapi = await Latencies.Measure("add + remove a peer through UAPI (C#)", 10, PeerSamples, async () =>
        {
            await device.SetAsync(new WireGuardChanges().Peer(peer, "100.64.9.2/32"), CancellationToken.None);
            await device.SetAsync(new WireGuardChanges().RemovePeer(peer), CancellationToken.None);
        });
        var wgSet = await Latencies.Measure("add + remove a peer with wg set (two processes)", 10, PeerSamples, async () =>
        {
            await Command.Run("wg", "set", host.Interface, "peer", peer, "allowed-ips", "100.64.9.2/32");
            await Command.Run("wg", "set", host.Interface, "peer", peer, "remove");
        });
        return (uapi, wgSet);
    }

    /// <summary>
    /// A raw docker create + start of the session image until its interface answers (the node's own
    /// parameters, no control plane) and a new user's connect with a cold container start, taken in
    /// turns so that whatever else the machine does weighs on both alike.
    /// </summary>
    private static async Task<(Latencies Raw, Latencies Cold)> ColdConnectsBesideRawStarts()
    {
        await using var plane = await ControlPlane.StartAsync(Production.Heartbeat);
        await using var node = await RawNode.CreateAsync();
        var raw = new List<double>();
        var cold = new List<double>();
        for (var i = 0; i < ContainerSamples + 2; i++)
        {
            SessionContainer? started = null;
            var rawTime = await Latencies.Time(async () =>
            {
                started = await node.Containers.StartAsync("raw", node.Options.PortMin, CancellationToken.None);
                await node.Containers.Interface(started).GetAsync(CancellationToken.None);
            });
            await node.Containers.RemoveAsync(started!, CancellationToken.None);

            await plane.CreateUser($"cold{i}");
            JsonElement session = default;
            var coldTime = await Latencies.Time(async () => session = await plane.Connect($"cold{i}"));
            await plane.Disconnect(session);
            await SettleAsync(plane, warmPoolSize: 0);
            if (i >= 2)
            {
                raw.Add(rawTime);
                cold.Add(coldTime);
            }
        }

        return (new Latencies("docker create + start, interface up (no control plane)", raw),
            new Latencies("POST /v1/connect, new user, cold container start", cold));
    }

    /// <summary>
    /// A new user's connect served by a warm container, and the core's warm path (a connect for a
    /// user whose container runs), taken in turns on one settled node; then the core's warm path
    /// again while the pool starts a container to replace the one claimed.
    /// </summary>
    private static async Task<(Latencies WarmContainer, Latencies LiveContainer, Latencies DuringRefill)> WarmContainerConnects()
    {
        await using var plane = await ControlPlane.StartAsync(new(Production.Heartbeat) { ["Node__WarmPoolSize"] = "1" });
        await plane.CreateUser("resident");
        var resident = await plane.Connect("resident");
        var warm = new List<double>();
        var live = new List<double>();
        var duringRefill = new List<double>();
        for (var i = 0; i < ContainerSamples + 2; i++)
        {
            await plane.CreateUser($"warm{i}");
            await SettleAsync(plane, warmPoolSize: 1, users: 1);
            var settled = (await TestStack.Docker.ContainersAsync(plane.ServerId)).Select(c => c.Id).ToHashSet();
            var opened = new List<JsonElement>();
            Task<double> NewUser() => Latencies.Time(async () => opened.Add(await plane.Connect($"warm{i}")));
            Task<double> Resident() => Latencies.Time(async () => opened.Add(await plane.Connect("resident")));
            double warmTime, liveTime;
            if (i % 2 == 0)
            {
                warmTime = await NewUser();
                liveTime = await Resident();
            }
            else
            {
                liveTime = await Resident();
                warmTime = await NewUser();
            }

            await WaitForRefillToStartAsync(plane, settled);
            var refillTime = await Resident();
            foreach (var session in opened)
            {
                await plane.Disconnect(session);
            }

            await plane.WaitForSessions("resident", 1);
            if (i >= 2)
            {
                warm.Add(warmTime);
                live.Add(liveTime);
                duringRefill.Add(refillTime);
            }
        }

        await plane.Disconnect(resident);
        return (new Latencies("POST /v1/connect, new user, warm container", warm),
            new Latencies("POST /v1/connect, user with a live session, in turns", live),
            new Latencies("POST /v1/connect, user with a live session, pool refilling", duringRefill));
    }

    /// <summary>Returns as soon as the pool has created a container that was not there when the node settled.</summary>
    private static async Task WaitForRefillToStartAsync(ControlPlane plane, IReadOnlySet<string> settled)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            if ((await TestStack.Docker.ContainersAsync(plane.ServerId)).Any(c => c.Name.Contains("-warm-") && !settled.Contains(c.Id)))
            {
                return;
            }
        }

        throw new TimeoutException("the warm pool did not start a container after a claim");
    }

    /// <summary>Waits until only <paramref name="users"/> users' containers are left and the warm pool is full and ready.</summary>
    private static Task SettleAsync(ControlPlane plane, int warmPoolSize, int users = 0) => plane.WaitFor(async () =>
    {
        var containers = await TestStack.Docker.ContainersAsync(plane.ServerId);
        var warm = containers.Where(c => c.Name.Contains("-warm-")).ToList();
        return warm.Count == warmPoolSize && containers.Count(c => c.Name.Contains("-u-")) == users
            && (await Task.WhenAll(warm.Select(c => TestStack.Docker.IsInterfaceReadyAsync(c.Name)))).All(ready => ready);
    }, "the node to settle: the pool full and ready, the last user's container gone");
}
