namespace OrleansWg.TestStack;

/// <summary>
/// Runs every cleanup in turn, even after one fails, then throws what failed: a cleanup that
/// throws must not leave the next one's containers, addresses or processes behind.
/// </summary>
public static class Cleanups
{
    public static async Task RunAllAsync(params IEnumerable<Func<Task>> cleanups)
    {
        var failures = new List<Exception>();
        foreach (var cleanup in cleanups)
        {
            try
            {
                await cleanup();
            }
            catch (Exception exception)
            {
                failures.Add(exception);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException("Cleaning up failed", failures);
        }
    }
}
