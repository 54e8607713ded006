using System.Collections.Concurrent;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using OrleansWg.NodeHost.Docker;
using OrleansWg.NodeHost.Netlink;

namespace OrleansWg.NodeHost.WireGuard;

/// <summary>
/// The kernel's WireGuard: each container's interface is made in the node's own network namespace,
/// given the user's port there (its UDP socket stays in that namespace, listening on every address of
/// the host), then moved into the container as wg0, where the user's traffic comes out. No process
/// and no published port per container. A container that Docker restarted has a new namespace
/// without wg0: the first look at its interface makes it again, and the node gives back its key.
/// </summary>
public sealed class KernelWireGuard(WireGuardNetlink netlink, IDockerClient docker, NodeOptions node, ILogger<KernelWireGuard> logger)
    : IWireGuardBackend
{
    private const string InterfaceName = "wg0";

    // A removed or restarted container's namespace dies a little after it, with the socket on its port.
    private static readonly TimeSpan PortFreedWithin = TimeSpan.FromSeconds(5);

    // The host process id of each running container's first process, whose namespace is the container's.
    private readonly ConcurrentDictionary<string, int> processes = [];

    public WireGuardMode Mode => WireGuardMode.Kernel;

    public void Prepare(CreateContainerParameters container, int port, string directory) => container.Env.Add("OWG_WIREGUARD=kernel");

    public int ListenPort(int port) => port;

    public async Task BringUpAsync(SessionContainer container, CancellationToken cancellationToken)
    {
        processes.TryRemove(container.Id, out _);
        await MakeAsync(container, await NamespaceOfAsync(container, cancellationToken), cancellationToken);
    }

    public IContainerInterface Interface(SessionContainer container) => new ContainerInterface(this, container);

    public void KeepOnly(IEnumerable<SessionContainer> present)
    {
        foreach (var gone in processes.Keys.Except(present.Select(c => c.Id)).ToList())
        {
            processes.TryRemove(gone, out _);
        }
    }

    public void Forget(SessionContainer container) => processes.TryRemove(container.Id, out _);

    /// <summary>The container's namespace, from its process: asked of Docker when the process is not known or has ended (a restart).</summary>
    private async Task<string> NamespaceOfAsync(SessionContainer container, CancellationToken cancellationToken)
    {
        if (processes.TryGetValue(container.Id, out var known) && Directory.Exists($"/proc/{known}"))
        {
            return $"/proc/{known}/ns/net";
        }

        var state = (await docker.Containers.InspectContainerAsync(container.Id, cancellationToken)).State;
        if (state.Pid <= 0)
        {
            throw new InvalidOperationException($"container {container.Name} is not running");
        }

        processes[container.Id] = (int)state.Pid;
        return $"/proc/{state.Pid}/ns/net";
    }

    /// <summary>
    /// Makes the container's wg0: made here on the user's port, moved in, addressed and brought up
    /// there. Bringing it up binds the port, which the namespace of the container's previous run may
    /// still hold for a moment.
    /// </summary>
    private async Task MakeAsync(SessionContainer container, string containerNamespace, CancellationToken cancellationToken)
    {
        var hostName = $"owgp{container.Port}";
        using (var host = NetlinkSocket.Open(NetlinkProtocol.Route))
        {
            if (NetworkLinks.Find(host, hostName) is { } leftOver)
            {
                // A making that failed half-way.
                NetworkLinks.Delete(host, leftOver.Index);
            }

            NetworkLinks.Create(host, hostName, "wireguard");
            var made = NetworkLinks.Find(host, hostName)!;
            try
            {
                using (var generic = NetlinkSocket.Open(NetlinkProtocol.Generic))
                {
                    netlink.Set(generic, hostName, new WireGuardChanges().SetListenPort(container.Port));
                }

                NetworkLinks.MoveTo(host, made.Index, containerNamespace, InterfaceName);
            }
            catch
            {
                NetworkLinks.Delete(host, made.Index);
                throw;
            }
        }

        var address = SessionContainerSpec.InterfaceAddress(node.TunnelPool).Split('/');
        using var inside = NetlinkSocket.OpenIn(containerNamespace, NetlinkProtocol.Route);
        var wg0 = NetworkLinks.Find(inside, InterfaceName)!;
        NetworkLinks.AddAddress(inside, wg0.Index, IPAddress.Parse(address[0]), int.Parse(address[1], System.Globalization.CultureInfo.InvariantCulture));
        var deadline = DateTime.UtcNow + PortFreedWithin;
        while (true)
        {
            try
            {
                NetworkLinks.SetUp(inside, wg0.Index);
                break;
            }
            catch (NetlinkException taken) when (taken.Is(Errno.AddressInUse) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        logger.LogDebug("Made the kernel interface of {Container} on port {Port}", container.Name, container.Port);
    }

    /// <summary>Reads wg0 through a socket opened in the container's namespace, making it again when the container lost it.</summary>
    private async Task<WireGuardDevice> GetAsync(SessionContainer container, CancellationToken cancellationToken)
    {
        var containerNamespace = await NamespaceOfAsync(container, cancellationToken);
        try
        {
            using var socket = NetlinkSocket.OpenIn(containerNamespace, NetlinkProtocol.Generic);
            return netlink.Get(socket, InterfaceName);
        }
        catch (NetlinkException missing) when (missing.Is(Errno.NoSuchDevice))
        {
            // Docker started the container again, in a new namespace: its interface is made again, with no key yet.
            logger.LogInformation("Container {Container} lost its interface; making it again on port {Port}", container.Name, container.Port);
            await MakeAsync(container, containerNamespace, cancellationToken);
            using var socket = NetlinkSocket.OpenIn(containerNamespace, NetlinkProtocol.Generic);
            return netlink.Get(socket, InterfaceName);
        }
    }

    private async Task SetAsync(SessionContainer container, WireGuardChanges changes, CancellationToken cancellationToken)
    {
        using var socket = NetlinkSocket.OpenIn(await NamespaceOfAsync(container, cancellationToken), NetlinkProtocol.Generic);
        netlink.Set(socket, InterfaceName, changes);
    }

    private sealed class ContainerInterface(KernelWireGuard backend, SessionContainer container) : IContainerInterface
    {
        public string Name => container.UapiDirectory;

        public Task<WireGuardDevice> GetAsync(CancellationToken cancellationToken) => backend.GetAsync(container, cancellationToken);

        public Task SetAsync(WireGuardChanges changes, CancellationToken cancellationToken) => backend.SetAsync(container, changes, cancellationToken);
    }
}
