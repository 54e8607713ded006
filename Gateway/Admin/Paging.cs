using System.Globalization;

namespace OrleansWg.Gateway.Admin;

/// <summary>A page of a list: at most <paramref name="Limit"/> items from <paramref name="Offset"/>; the list's length goes in X-Total-Count.</summary>
public sealed record Paging(int Offset, int Limit)
{
    public const int MaxLimit = 1000;
    public const string TotalHeader = "X-Total-Count";

    public static readonly Dictionary<string, string[]> Errors = new()
    {
        ["offset"] = ["zero or more"],
        ["limit"] = [$"a number from 1 to {MaxLimit}"],
    };

    /// <returns>null when either is not a number in range; absent, the first <see cref="MaxLimit"/>.</returns>
    public static Paging? Parse(string? offset, string? limit)
    {
        var from = offset is null ? 0 : int.TryParse(offset, CultureInfo.InvariantCulture, out var o) ? o : -1;
        var count = limit is null ? MaxLimit : int.TryParse(limit, CultureInfo.InvariantCulture, out var l) ? l : 0;
        return from >= 0 && count is >= 1 and <= MaxLimit ? new Paging(from, count) : null;
    }

    public IEnumerable<T> Of<T>(IReadOnlyCollection<T> all, HttpContext context)
    {
        context.Response.Headers[TotalHeader] = all.Count.ToString(CultureInfo.InvariantCulture);
        return all.Skip(Offset).Take(Limit);
    }
}
