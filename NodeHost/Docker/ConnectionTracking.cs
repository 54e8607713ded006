namespace OrleansWg.NodeHost.Docker;

/// <summary>
/// The host's connection tracking for a published UDP port. While a container is stopped, a
/// client's packets to its port create an entry with no DNAT to the container; the client keeps
/// sending, so the entry never expires, and its packets never reach the container once it runs
/// again. Forgetting the port's entries when the container is back lets the next packet find it.
/// </summary>
public static class ConnectionTracking
{
    public static async Task ForgetAsync(int port, ILogger logger)
    {
        // Exit 1 only says there was nothing to forget.
        await HostCommand.TryAsync("conntrack", "-D", "-p", "udp", "--orig-port-dst", $"{port}");
        logger.LogInformation("Forgot the tracked connections of UDP port {Port}", port);
    }
}
