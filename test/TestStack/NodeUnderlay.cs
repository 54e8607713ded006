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

    private readonly string installation;
    private readonly string serverId;
    private readonly LoopbackAddress publicAddress;
    private readonly string containerSubnet;

    private NodeUnderlay(string installation, string serverId, LoopbackAddress publicAddress, string containerSubnet)
    {
        this.installation = installation;
        this.serverId = serverId;
        this.publicAddress = publicAddress;
        this.containerSubnet = containerSubnet;
    }

    /// <param name="installation">The node's installation (its plane's cluster id), which names its fence with its server id.</param>
    public static async Task<NodeUnderlay> CreateAsync(string installation, string serverId, string publicAddress, string containerSubnet)
    {
        var underlay = new NodeUnderlay(installation, serverId, await LoopbackAddress.AddAsync(publicAddress), containerSubnet);
        await Command.Run("iptables", underlay.ForwardRule("-I"));
        return underlay;
    }

    public async ValueTask DisposeAsync() => await Cleanups.RunAllAsync(
        () => Command.Run("iptables", ForwardRule("-D")),
        RemoveFenceAsync,
        async () => await publicAddress.DisposeAsync());

    private Task RemoveFenceAsync() => Command.Run("bash", "-c",
        $"source {Path.Combine(Repository.Root, "scripts", "lib", "fence.sh")} && remove_node_fence {installation} {serverId}");

    private string[] ForwardRule(string action) => [action, "DOCKER-USER", "-s", containerSubnet, "!", "-d", TestRange, "-j", "DROP"];
}
