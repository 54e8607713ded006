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

    public void Dispose() => turn.Dispose();
}
