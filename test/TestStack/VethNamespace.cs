namespace OrleansWg.TestStack;

/// <summary>A network namespace joined to the root namespace by a veth pair with a /30 on it.</summary>
public static class VethNamespace
{
    public static async Task CreateAsync(string name, string rootVeth, string namespaceVeth, string rootAddress, string namespaceAddress)
    {
        await Command.Run("ip", "netns", "add", name);
        await Command.Run("ip", "link", "add", rootVeth, "type", "veth", "peer", "name", namespaceVeth);
        await Command.Run("ip", "link", "set", namespaceVeth, "netns", name);
        await Command.Run("ip", "addr", "add", $"{rootAddress}/30", "dev", rootVeth);
        await Command.Run("ip", "link", "set", rootVeth, "up");
        await Command.Run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
        await Command.Run("ip", "netns", "exec", name, "ip", "addr", "add", $"{namespaceAddress}/30", "dev", namespaceVeth);
        await Command.Run("ip", "netns", "exec", name, "ip", "link", "set", namespaceVeth, "up");
    }

    /// <summary>
    /// Ends the processes still in the namespace (a wireguard-go that wg-quick left, owg's watcher),
    /// then removes it (and with it the veth pair); nothing is said if it was never made.
    /// </summary>
    public static async Task DeleteAsync(string name, string rootVeth)
    {
        var pids = (await Command.Try("ip", null, "netns", "pids", name)).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (pids.Length > 0)
        {
            await Command.Try("kill", null, ["-KILL", .. pids]);
        }

        await Command.Try("ip", null, "netns", "del", name);
        await Command.Try("ip", null, "link", "del", rootVeth);
    }
}
