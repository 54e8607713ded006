using Docker.DotNet;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansWg.NodeHost;
using OrleansWg.NodeHost.Docker;
using OrleansWg.NodeHost.WireGuard;
using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>
/// Session containers made with the node's own parameters and code, but no control plane: the
/// raw cost the benchmarks hold the product's against. A Docker network of its own (198.18.65.0/24
/// unless told) beside a plane's; everything of it goes at the end. Its containers run wireguard-go, or the
/// kernel's WireGuard where the kernel has it (a guest's).
/// </summary>
public sealed class RawNode : IAsyncDisposable
{
    private const string Installation = "owg-bench";

    private readonly NodeUnderlay underlay;
    private readonly DockerClient docker;
    private readonly IWireGuardBackend wireGuard;

    private RawNode(NodeOptions options, NodeUnderlay underlay, DockerClient docker, WireGuardNetlink? kernel)
    {
        Options = options;
        this.underlay = underlay;
        this.docker = docker;
        var nodeOptions = Microsoft.Extensions.Options.Options.Create(options);
        wireGuard = kernel is null
            ? new UserspaceWireGuard(options)
            : new KernelWireGuard(kernel, docker, options, NullLogger<KernelWireGuard>.Instance);
        Containers = new SessionContainers(
            docker, new ShimPriority(nodeOptions, NullLogger<ShimPriority>.Instance), Owner, wireGuard, nodeOptions, NullLogger<SessionContainers>.Instance);
    }

    public NodeOptions Options { get; }

    public NodeOwner Owner => new(Installation, Options.ServerId);

    public SessionContainers Containers { get; }

    /// <param name="wireGuard"><see cref="WireGuardMode.Kernel"/> or <see cref="WireGuardMode.Userspace"/>.</param>
    /// <param name="subnet">Its Docker network's, and <paramref name="portMin"/> its first port: two raw nodes at once need their own.</param>
    public static async Task<RawNode> CreateAsync(
        WireGuardMode wireGuard = WireGuardMode.Userspace, string subnet = "198.18.65.0/24", int portMin = 52000)
    {
        WireGuardNetlink? kernel = null;
        if (wireGuard == WireGuardMode.Kernel)
        {
            var (netlink, unusable) = WireGuardModeChoice.ProbeKernel();
            kernel = netlink ?? throw new InvalidOperationException($"the kernel's WireGuard cannot be used here: {unusable}");
        }

        var options = new NodeOptions
        {
            ServerId = $"r{Guid.NewGuid():N}"[..9],
            PublicAddress = ControlPlane.NodePublicAddress,
            ContainerSubnet = subnet,
            StateDirectory = "/var/lib/orleanswg/bench-nodes",
            PortMin = portMin,
            WireGuard = wireGuard,
        };
        var underlay = await NodeUnderlay.CreateAsync(Installation, options.ServerId, options.PublicAddress, options.ContainerSubnet);
        var node = new RawNode(options, underlay, new DockerClientConfiguration(new Uri(options.DockerEndpoint)).CreateClient(new Version(1, 41)), kernel);
        try
        {
            await node.Containers.EnsureNetworkAsync(CancellationToken.None);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await Cleanups.RunAllAsync(
        // Side by side: one at a time, hundreds of containers, or a few under emulation, take minutes.
        async () => await Parallel.ForEachAsync(await Containers.ListAsync(reading: null, CancellationToken.None),
            new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (container, token) => await Containers.RemoveAsync(container, token)),
        // And whatever that missed, with the network.
        () => TestStack.Docker.RemoveNodeAsync(Installation, Options.ServerId),
        () =>
        {
            (wireGuard as IDisposable)?.Dispose();
            docker.Dispose();
            return Task.CompletedTask;
        },
        async () => await underlay.DisposeAsync());
}
