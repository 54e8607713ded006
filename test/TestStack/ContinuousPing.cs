using System.Globalization;
using System.Text.RegularExpressions;

namespace OrleansWg.TestStack;

/// <summary>
/// ping from a namespace, five a second, for as long as a test runs something beside it: which of
/// them went unanswered tells whether a tunnel stopped carrying traffic, and for how long.
/// </summary>
public sealed partial class ContinuousPing : IAsyncDisposable
{
    private const double PerSecond = 5;

    private readonly ChildProcess ping;

    private ContinuousPing(ChildProcess ping) => this.ping = ping;

    /// <remarks>With -O, ping says of each ping that has no answer when the next one goes ("no answer yet for icmp_seq=N").</remarks>
    public static ContinuousPing Start(string @namespace, string address) =>
        new(ChildProcess.Start("ip", ["netns", "exec", @namespace, "ping", "-n", "-O", "-i", (1 / PerSecond).ToString(CultureInfo.InvariantCulture), address],
            new Dictionary<string, string>(), Repository.LogPath($"{@namespace}-ping-{Guid.NewGuid():N}.log")));

    /// <summary>Stops it.</summary>
    /// <returns>How many pings it sent, and the sequence numbers of those that were never answered.</returns>
    public async Task<(int Sent, IReadOnlyList<int> Unanswered)> StopAsync()
    {
        await ping.StopAsync(TimeSpan.FromSeconds(5));
        var lines = await File.ReadAllLinesAsync(ping.LogPath);
        var answered = Sequences(lines, Reply()).ToHashSet();
        var unanswered = Sequences(lines, NoAnswerYet()).Where(sequence => !answered.Contains(sequence)).Distinct().Order().ToList();
        return (answered.Concat(unanswered).DefaultIfEmpty(0).Max(), unanswered);
    }

    public async ValueTask DisposeAsync() => await ping.DisposeAsync();

    private static IEnumerable<int> Sequences(IEnumerable<string> lines, Regex pattern) =>
        lines.Select(line => pattern.Match(line)).Where(match => match.Success).Select(match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"bytes from .* icmp_seq=(\d+)")]
    private static partial Regex Reply();

    [GeneratedRegex(@"no answer yet for icmp_seq=(\d+)")]
    private static partial Regex NoAnswerYet();
}
