using System.Diagnostics;

namespace OrleansWg.NodeHost;

/// <summary>Runs one of the host's tools (iptables, conntrack, unbound-control), bounded in time: the node's only way to change the host's network.</summary>
public static class HostCommand
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <returns>true when the tool exited 0 (for iptables -C: the rule exists).</returns>
    public static async Task<bool> TryAsync(string tool, params string[] arguments) => await OutputAsync(tool, arguments) is not null;

    /// <returns>What the tool printed, or null when it did not exit 0.</returns>
    public static async Task<string?> OutputAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(Limit);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        _ = await error;
        return process.ExitCode == 0 ? output : null;
    }
}
