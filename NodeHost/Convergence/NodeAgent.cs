namespace OrleansWg.NodeHost.Convergence;

/// <summary>
/// The observer the server grain pushes desired state to. Convergences run one at a time, so
/// a heartbeat's convergence and a pushed one never work on the same container together.
/// </summary>
public sealed class NodeAgent(INodeConverger converger, IHostApplicationLifetime lifetime) : INodeAgent, IDisposable
{
    private readonly SemaphoreSlim oneAtATime = new(1, 1);

    public async Task<NodeActualState> Converge(DesiredNodeState desired)
    {
        var stopping = lifetime.ApplicationStopping;
        await oneAtATime.WaitAsync(stopping);
        try
        {
            return await converger.Converge(desired, stopping);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    public void Dispose() => oneAtATime.Dispose();
}
