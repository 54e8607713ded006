namespace OrleansWg.NodeHost.Convergence;

/// <summary>One change to the node's containers at a time: convergences and warm-pool refills take turns.</summary>
public sealed class ConvergenceLock : IDisposable
{
    private readonly SemaphoreSlim turn = new(1, 1);

    public Task RunAsync(Func<Task> work, CancellationToken cancellationToken) =>
        RunAsync(async () => { await work(); return true; }, cancellationToken);

    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await turn.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>
    /// Called holding the lock: lets the ones waiting for it go first, then takes it again, so that
    /// one long convergence holds up others for a part of it only.
    /// </summary>
    public async Task YieldAsync()
    {
        turn.Release();
        // Not cancellable: the caller's RunAsync gives the lock back, so it must hold it again.
        await turn.WaitAsync(CancellationToken.None);
    }

    public void Dispose() => turn.Dispose();
}
