using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OrleansWg.NodeHost.Docker;

namespace OrleansWg.NodeHost.Convergence;

/// <summary>
/// Keeps <see cref="NodeOptions.WarmPoolSize"/> containers ready (interface up, key set, no peers),
/// so that a new user's first connect costs a file write and a UAPI call, not a container start.
/// After every convergence, and a short delay, it gives claimed containers their names and
/// refills, taking its turn on the convergence lock.
/// </summary>
public sealed class WarmPool(
    SessionContainers containers,
    ConvergenceLock convergenceLock,
    PeerTraffic traffic,
    IOptions<NodeOptions> options,
    ILogger<WarmPool> logger) : BackgroundService
{
    private readonly Channel<bool> requests = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void RequestRefill() => requests.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var _ in requests.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await Task.Delay(options.Value.WarmPoolRefillDelay, stoppingToken);
                await convergenceLock.RunAsync(() => RefillAsync(stoppingToken), stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Refilling the warm pool failed; the next convergence tries again");
            }
        }
    }

    private async Task RefillAsync(CancellationToken cancellationToken)
    {
        await containers.RenameClaimedAsync(cancellationToken);
        var size = options.Value.WarmPoolSize;
        var present = await containers.ListAsync(reconcile: false, cancellationToken);
        var warm = present.Where(c => c.IsWarm).ToList();
        foreach (var extra in warm.Skip(size))
        {
            await containers.RemoveAsync(extra, cancellationToken);
        }

        for (var count = warm.Count; count < size; count++)
        {
            var container = await containers.StartAsync(null, containers.FreePort(present), cancellationToken);
            await InterfaceSync.ApplyAsync(containers.Interface(container), [], traffic, cancellationToken);
            present.Add(container);
        }
    }
}
