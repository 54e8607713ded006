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
    private readonly string publicAddress;
    private readonly string containerSubnet;
    private readonly bool addedAddress;

    private NodeUnderlay(string serverId, string publicAddress, string containerSubnet, bool addedAddress)
    {
        this.serverId = serverId;
        this.publicAddress = publicAddress;
        this.containerSubnet = containerSubnet;
        this.addedAddress = addedAddress;
    }

    public static async Task<NodeUnderlay> CreateAsync(string serverId, string publicAddress, string containerSubnet)
    {
        var present = (await Command.Run("ip", "-4", "-o", "addr", "show", "dev", "lo")).Contains($" {publicAddress}/");
        if (!present)
        {
            await Command.Run("ip", "addr", "add", $"{publicAddress}/32", "dev", "lo");
        }

        var underlay = new NodeUnderlay(serverId, publicAddress, containerSubnet, !present);
        await Command.Run("iptables", underlay.ForwardRule("-I"));
        return underlay;
    }

    public async ValueTask DisposeAsync()
    {
        await Command.Run("iptables", ForwardRule("-D"));
        await RemoveFenceAsync();
        if (addedAddress)
        {
            await Command.Run("ip", "addr", "del", $"{publicAddress}/32", "dev", "lo");
        }
    }

    private Task RemoveFenceAsync() => Command.Run("bash", "-c",
        $"source {Path.Combine(Repository.Root, "scripts", "lib", "fence.sh")} && remove_node_fence {serverId}");

    private string[] ForwardRule(string action) => [action, "DOCKER-USER", "-s", containerSubnet, "!", "-d", TestRange, "-j", "DROP"];
}
