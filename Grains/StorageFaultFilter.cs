using Microsoft.Extensions.Logging;

namespace OrleansWg.Grains;

/// <summary>
/// A database fault in a grain call that did not come through the grain storage (a reminder's
/// registration) is logged where it happens and leaves the grain as <see cref="StorageUnavailableException"/>;
/// <see cref="StorageFaultGuard"/> does the same for state, including what a grain reads as it activates.
/// </summary>
public sealed class StorageFaultFilter(ILogger<StorageFaultFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception exception) when (DatabaseFaults.IsDatabaseFault(exception))
        {
            logger.LogWarning(exception, "{Grain}.{Method} failed: the database did not answer", context.TargetId, context.MethodName);
            throw new StorageUnavailableException();
        }
    }
}
