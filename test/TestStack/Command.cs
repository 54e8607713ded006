using System.Diagnostics;

namespace OrleansWg.TestStack;

public sealed record CommandResult(int ExitCode, string Output, string Error);

/// <summary>Runs a command to its end, within a minute unless told otherwise.</summary>
public static class Command
{
    /// <returns>What it printed; throws when it exits non-zero.</returns>
    public static async Task<string> Run(string fileName, params string[] arguments)
    {
        var result = await Try(fileName, null, arguments);
        return result.ExitCode == 0
            ? result.Output
            : throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Error}");
    }

    /// <summary>Runs the command with <paramref name="input"/> on its standard input, whatever its exit code.</summary>
    public static Task<CommandResult> Try(string fileName, string? input, params string[] arguments) =>
        Try(fileName, input, TimeSpan.FromMinutes(1), arguments);

    /// <summary>Runs the command with <paramref name="input"/> on its standard input for at most <paramref name="limit"/>, whatever its exit code.</summary>
    public static async Task<CommandResult> Try(string fileName, string? input, TimeSpan limit, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        arguments.ToList().ForEach(info.ArgumentList.Add);
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(limit);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        return new CommandResult(process.ExitCode, await output, await error);
    }
}
