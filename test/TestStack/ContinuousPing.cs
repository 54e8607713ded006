using System.Globalization;
using System.Text.RegularExpressions;

namespace OrleansWg.TestStack;

/// <summary>
/// ping from a namespace, five a second, for as long as a test runs something beside it: which of
/// them went unanswered tells whether a tunnel stopped carrying traffic, and for how long.
/// </summary>
public sealed partial class ContinuousPing : IAsyncDisposable
{
    // The replies still under way when it is stopped are not losses.
    private const int InFlight = 5;

    private const double PerSecond = 5;

    private readonly ChildProcess ping;
    private readonly DateTime startedAt = DateTime.UtcNow;

    private ContinuousPing(ChildProcess ping) => this.ping = ping;

    public static ContinuousPing Start(string @namespace, string address) =>
        new(ChildProcess.Start("ip", ["netns", "exec", @namespace, "ping", "-n", "-i", (1 / PerSecond).ToString(CultureInfo.InvariantCulture), "-W", "1", address],
            new Dictionary<string, string>(), Repository.LogPath($"{@namespace}-ping-{Guid.NewGuid():N}.log")));

    /// <summary>Stops it.</summary>
    /// <returns>About how many pings it sent, and the sequence numbers of those that were never answered.</returns>
    public async Task<(int Sent, IReadOnlyList<int> Unanswered)> StopAsync()
    {
        var sent = (int)((DateTime.UtcNow - startedAt).TotalSeconds * PerSecond);
        await ping.StopAsync(TimeSpan.FromSeconds(5));
        var answered = (await File.ReadAllLinesAsync(ping.LogPath))
            .Select(line => Reply().Match(line)).Where(match => match.Success).Select(match => int.Parse(match.Groups[1].Value)).ToHashSet();
        return (sent, [.. Enumerable.Range(1, Math.Max(0, sent - InFlight)).Where(sequence => !answered.Contains(sequence))]);
    }

    public async ValueTask DisposeAsync() => await ping.DisposeAsync();

    [GeneratedRegex(@"bytes from .* icmp_seq=(\d+)")]
    private static partial Regex Reply();
}
