using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace OrleansWg.Grains;

/// <summary>
/// A database fault in a grain call is logged where it happens and leaves the grain as
/// <see cref="StorageUnavailableException"/>, which callers (and the Gateway's 503) understand.
/// </summary>
public sealed class StorageFaultFilter(ILogger<StorageFaultFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception exception) when (IsDatabaseFault(exception))
        {
            logger.LogWarning(exception, "{Grain}.{Method} failed: the database did not answer", context.TargetId, context.MethodName);
            throw new StorageUnavailableException();
        }
    }

    private static bool IsDatabaseFault(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException)
            {
                return true;
            }
        }

        return false;
    }
}
