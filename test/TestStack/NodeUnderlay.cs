namespace OrleansWg.TestStack;

/// <summary>
/// What a test node needs of the host: its public address (on lo: this kernel has no dummy
/// links), and a FORWARD rule that lets its containers' traffic reach 198.18.0.0/15 only, so a
/// full-tunnel client can never send a packet off the machine. Both go when the test ends, and
/// so does the node's own fence (its NodeHost was killed, so it could not remove it).
/// </summary>
public sealed class NodeUnderlay : IAsyncDisposable
{
    private const string TestRange = "198.18.0.0/15";

    private readonly string serverId;
    private readonly LoopbackAddress publicAddress;
    private readonly string containerSubnet;

    private NodeUnderlay(string serverId, LoopbackAddress publicAddress, string containerSubnet)
    {
        this.serverId = serverId;
        this.publicAddress = publicAddress;
        this.containerSubnet = containerSubnet;
    }

    public static async Task<NodeUnderlay> CreateAsync(string serverId, string publicAddress, string containerSubnet)
    {
        var underlay = new NodeUnderlay(serverId, await LoopbackAddress.AddAsync(publicAddress), containerSubnet);
        await Command.Run("iptables", underlay.ForwardRule("-I"));
        return underlay;
    }

    public async ValueTask DisposeAsync() => await Cleanups.RunAllAsync(
        () => Command.Run("iptables", ForwardRule("-D")),
        RemoveFenceAsync,
        async () => await publicAddress.DisposeAsync());

    private Task RemoveFenceAsync() => Command.Run("bash", "-c",
        $"source {Path.Combine(Repository.Root, "scripts", "lib", "fence.sh")} && remove_node_fence {serverId}");

    private string[] ForwardRule(string action) => [action, "DOCKER-USER", "-s", containerSubnet, "!", "-d", TestRange, "-j", "DROP"];
}
