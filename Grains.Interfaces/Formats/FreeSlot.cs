namespace OrleansWg;

public static class FreeSlot
{
    /// <returns>The lowest number from <paramref name="from"/> to <paramref name="to"/> not in <paramref name="used"/>.</returns>
    public static int? First(int from, int to, IEnumerable<int> used)
    {
        var taken = used.ToHashSet();
        for (var candidate = from; candidate <= to; candidate++)
        {
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
