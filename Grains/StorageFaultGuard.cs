using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace OrleansWg.Grains;

/// <summary>
/// The grain storage as grains see it: the database's own storage underneath, whose driver
/// exceptions are logged here, where they happen, and leave as <see cref="StorageUnavailableException"/>,
/// which can cross any grain boundary (the driver's cannot: its types have no codec). Covers the
/// state a grain reads as it activates as well as its writes.
/// </summary>
public sealed class StorageFaultGuard(IGrainStorage database, ILogger<StorageFaultGuard> logger) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Guard("read", grainId, () => database.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Guard("write", grainId, () => database.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Guard("clear", grainId, () => database.ClearStateAsync(stateName, grainId, grainState));

    private async Task Guard(string operation, GrainId grainId, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception exception) when (DatabaseFaults.IsDatabaseFault(exception))
        {
            logger.LogWarning(exception, "Could not {Operation} the state of {GrainId}: the database did not answer", operation, grainId);
            throw new StorageUnavailableException();
        }
    }
}
