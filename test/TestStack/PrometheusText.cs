using System.Globalization;

namespace OrleansWg.TestStack;

/// <summary>Reads samples out of a /metrics page in the Prometheus text format.</summary>
public static class PrometheusText
{
    /// <returns>The value of <paramref name="series"/> (a name with its labels, as written), NaN when the page has none.</returns>
    public static double Sample(string text, string series) =>
        Lines(text).FirstOrDefault(line => line.StartsWith(series + " ", StringComparison.Ordinal)) is { } line
            ? Value(line)
            : double.NaN;

    /// <returns>The sum of the series of metric <paramref name="name"/> whose labels include <paramref name="labelPart"/>; 0 when none.</returns>
    public static double Sum(string text, string name, string labelPart) =>
        Lines(text).Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && line[..line.IndexOf('}')].Contains(labelPart, StringComparison.Ordinal))
            .Sum(Value);

    private static IEnumerable<string> Lines(string text) => text.Split('\n');

    /// <summary>The number after the series' name and labels (a timestamp may follow it).</summary>
    private static double Value(string line)
    {
        var seriesEnd = line.LastIndexOf('}') is var labelsEnd and >= 0 ? labelsEnd + 1 : line.IndexOf(' ');
        return double.Parse(line[seriesEnd..].TrimStart().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
