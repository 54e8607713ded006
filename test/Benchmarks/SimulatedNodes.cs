using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansWg.Hosting;
using OrleansWg.NodeHost.Convergence;
using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>
/// Nodes with no containers, many in one process behind one Orleans client: each registers its
/// server, heartbeats like a NodeHost, and converges at once, reporting every desired peer as
/// active now, except the peers of <see cref="Idle"/> users, which never are.
/// </summary>
public sealed class SimulatedNodes : IAsyncDisposable
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    private readonly IHost host;
    private readonly List<(string ServerId, SimulatedNode Node, INodeAgent Reference)> nodes = [];
    private readonly CancellationTokenSource stopping = new();
    private Task? heartbeats;

    private SimulatedNodes(IHost host) => this.host = host;

    public IClusterClient Client => host.Services.GetRequiredService<IClusterClient>();

    /// <summary>Users whose peers the nodes report as never active.</summary>
    public ConcurrentDictionary<string, bool> Idle { get; } = [];

    public IReadOnlyList<string> ServerIds => [.. nodes.Select(node => node.ServerId)];

    public static async Task<SimulatedNodes> StartAsync(ControlPlane plane, int count, int capacity)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(plane.GatewayClientConfiguration);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseOrleansWgCluster(builder.Configuration, retryFor: TimeSpan.FromMinutes(1)));
        var simulated = new SimulatedNodes(builder.Build());
        await simulated.host.StartAsync();
        for (var i = 0; i < count; i++)
        {
            var node = new SimulatedNode(simulated.Idle);
            simulated.nodes.Add(($"sim-{i}", node, simulated.Client.CreateObjectReference<INodeAgent>(node)));
        }

        var registration = new NodeRegistration("198.18.7.1", capacity, 20000, 20000 + capacity, "100.64.0.0/10", ServerPermissions.GenericGroup);
        await Task.WhenAll(simulated.nodes.Select(node => simulated.Client.GetGrain<IServerGrain>(node.ServerId)
            .Configure(new ServerSettings(registration.Group, registration.Capacity, registration.PublicAddress))));
        await simulated.HeartbeatAsync(registration);
        simulated.heartbeats = simulated.KeepBeatingAsync(registration);
        return simulated;
    }

    /// <summary>Every node registers once, all at once, handing over what it runs.</summary>
    private Task HeartbeatAsync(NodeRegistration registration) => Task.WhenAll(nodes.Select(async node =>
        node.Node.Apply(await Client.GetGrain<IServerGrain>(node.ServerId).Register(registration, node.Reference, node.Node.Actual()))));

    private async Task KeepBeatingAsync(NodeRegistration registration)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval);
        while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false))
        {
            try
            {
                await HeartbeatAsync(registration);
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                Console.WriteLine($"  a simulated heartbeat failed: {exception.GetType().Name}: {exception.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        try
        {
            await (heartbeats ?? Task.CompletedTask);
        }
        catch (OperationCanceledException)
        {
            // Stopped, as asked.
        }

        await host.StopAsync();
        host.Dispose();
        stopping.Dispose();
    }

    /// <summary>One simulated node: it runs exactly what it is told, at once.</summary>
    private sealed class SimulatedNode(ConcurrentDictionary<string, bool> idle) : INodeAgent
    {
        private static readonly string InterfaceKey = WireGuardKey.CreatePair().PublicKey;
        private readonly DesiredStateGate gate = new();
        private readonly ConcurrentDictionary<string, int> ports = new();
        private DesiredNodeState? desired;

        public Task<NodeActualState> Converge(DesiredNodeState state)
        {
            Apply(state);
            return Task.FromResult(Actual()!);
        }

        public Task<NodeActualState?> ConvergeChange(DesiredNodeChange change)
        {
            lock (gate)
            {
                if (gate.Newest(change) is not { } changed)
                {
                    return Task.FromResult<NodeActualState?>(null);
                }

                desired = changed;
            }

            return Task.FromResult<NodeActualState?>(new NodeActualState([.. desired.Containers.Where(c => c.User == change.User).Select(ActualOf)]));
        }

        public void Apply(DesiredNodeState state)
        {
            lock (gate)
            {
                desired = gate.Newest(state);
            }
        }

        public NodeActualState? Actual() => desired is { } state ? new NodeActualState([.. state.Containers.Select(ActualOf)]) : null;

        private ActualContainer ActualOf(DesiredContainer container)
        {
            var now = DateTimeOffset.UtcNow;
            return new ActualContainer(container.User, ports.GetOrAdd(container.User, _ => 20000 + ports.Count), InterfaceKey,
                [.. container.Peers.Select(peer => new ActualPeer(peer.PublicKey, idle.ContainsKey(container.User) ? null : now, null))]);
        }
    }
}
