using System.Diagnostics;

namespace OrleansWg.NodeHost.Fence;

/// <summary>Runs iptables on the host, bounded in time; the node's only way to change the host's firewall.</summary>
public static class Iptables
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <returns>true when iptables exited 0 (for -C: the rule exists).</returns>
    public static async Task<bool> TryAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("iptables") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-w", "5" }.Concat(arguments))
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

    public static async Task RunAsync(params string[] arguments)
    {
        if (!await TryAsync(arguments))
        {
            throw new InvalidOperationException($"iptables {string.Join(' ', arguments)} failed");
        }
    }
}
