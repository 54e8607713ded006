namespace OrleansWg.NodeHost.Fence;

/// <summary>iptables on the host, waiting up to 5 s for its lock (dockerd changes the same tables).</summary>
public static class Iptables
{
    public static Task<bool> TryAsync(params string[] arguments) => HostCommand.TryAsync("iptables", ["-w", "5", .. arguments]);

    public static async Task RunAsync(params string[] arguments)
    {
        if (!await TryAsync(arguments))
        {
            throw new InvalidOperationException($"iptables {string.Join(' ', arguments)} failed");
        }
    }
}
