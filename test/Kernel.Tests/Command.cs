using System.Diagnostics;

namespace OrleansWg.Kernel.Tests;

/// <summary>A tool of the guest (ip, wg, ping, docker, ss) run to set a test up or to check what the node did, each bounded in time.</summary>
public static class Command
{
    public static async Task<(int ExitCode, string Output)> TryAsync(string file, string arguments, TimeSpan? timeout = null)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} took longer than {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds} s");
        }

        return (process.ExitCode, await output + await error);
    }

    public static async Task<string> RunAsync(string file, string arguments, TimeSpan? timeout = null)
    {
        var (exitCode, output) = await TryAsync(file, arguments, timeout);
        return exitCode == 0 ? output : throw new InvalidOperationException($"{file} {arguments} exited with {exitCode}: {output}");
    }

    /// <summary>Runs until the command succeeds, at most <paramref name="within"/>: a tunnel being set up, a namespace going away.</summary>
    public static async Task<string> EventuallyAsync(string file, string arguments, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        for (var attempt = 1; ; attempt++)
        {
            var (exitCode, output) = await TryAsync(file, arguments);
            if (exitCode == 0)
            {
                return output;
            }

            if (DateTime.UtcNow > deadline || attempt >= 200)
            {
                throw new InvalidOperationException($"{file} {arguments} still failed after {within.TotalSeconds} s: {output}");
            }

            await Task.Delay(500);
        }
    }
}
