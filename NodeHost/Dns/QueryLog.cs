using System.Globalization;
using System.Text.RegularExpressions;

namespace OrleansWg.NodeHost.Dns;

/// <summary>
/// The queries of a group that asks for a query log, as unbound prints them (the container's
/// address, the name, its type): one file a day in the resolver's directory, kept for the
/// policy's days, none kept at all for a group that does not ask.
/// </summary>
public sealed partial class QueryLog(string directory, TimeProvider clock)
{
    private readonly Lock gate = new();
    private int keepDays;
    private DateOnly? pruned;

    public string Directory => directory;

    /// <summary>How many days of logs to keep; 0 stops the log and removes the days kept.</summary>
    public void Keep(int days)
    {
        lock (gate)
        {
            keepDays = days;
            pruned = null;
            Prune(Today);
        }
    }

    /// <returns>false when <paramref name="line"/> is not one of unbound's query lines.</returns>
    public bool TryWrite(string line)
    {
        if (QueryLine().Match(line) is not { Success: true } query)
        {
            return false;
        }

        lock (gate)
        {
            if (keepDays > 0)
            {
                var today = Today;
                Prune(today);
                System.IO.Directory.CreateDirectory(directory);
                File.AppendAllText(PathOf(today), $"{clock.GetUtcNow():O} {query.Groups["query"].Value}\n");
            }
        }

        return true;
    }

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private string PathOf(DateOnly day) => Path.Combine(directory, $"{day:yyyy-MM-dd}.log");

    /// <summary>Removes the days past the ones kept, once a day.</summary>
    private void Prune(DateOnly today)
    {
        if (pruned == today || !System.IO.Directory.Exists(directory))
        {
            return;
        }

        pruned = today;
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.log"))
        {
            if (!DateOnly.TryParseExact(Path.GetFileNameWithoutExtension(file), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                || day <= today.AddDays(-keepDays))
            {
                File.Delete(file);
            }
        }
    }

    // unbound's log-queries line: "[time] unbound[pid:thread] info: 198.18.64.3 www.example. A IN".
    [GeneratedRegex(@"\] info: (?<query>\d{1,3}(\.\d{1,3}){3} \S+ \S+ \S+)$")]
    private static partial Regex QueryLine();
}
