using System.Diagnostics;

namespace OrleansWg.NodeHost;

/// <summary>Runs one of the host's tools (iptables, conntrack), bounded in time: the node's only way to change the host's network.</summary>
public static class HostCommand
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <returns>true when the tool exited 0 (for iptables -C: the rule exists).</returns>
    public static async Task<bool> TryAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(Limit);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        _ = await error;
        return process.ExitCode == 0;
    }
}
