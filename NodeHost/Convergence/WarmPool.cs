using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OrleansWg.NodeHost.Docker;

namespace OrleansWg.NodeHost.Convergence;

/// <summary>
/// Keeps containers ready (interface up, key set, no peers), so that a new user's first connect
/// costs a file write and a UAPI call, not a container start: <see cref="NodeOptions.WarmPoolSize"/>
/// more than the node's new users of the last minute, up to <see cref="NodeOptions.WarmPoolMax"/>,
/// so a login storm finds the pool growing and its containers starting side by side (as many at a
/// time as the <see cref="StartWindow"/> allows). After every
/// convergence, and a short delay, it gives claimed containers their names and refills: it takes
/// its turn on the convergence lock to create containers, and starts them outside it, each one
/// entered as ready as soon as it is up.
/// </summary>
public sealed class WarmPool(
    SessionContainers containers,
    ConvergenceLock convergenceLock,
    PeerTraffic traffic,
    IOptions<NodeOptions> options,
    TimeProvider clock,
    ILogger<WarmPool> logger) : BackgroundService
{
    // Starts side by side at most: enough to keep dockerd busy through a storm (some 30 took 9 s on 2
    // cores on an empty node); at least: enough to go on filling the pool when dockerd is slow.
    private const int MostStartsInFlight = 32;
    private const int LeastStartsInFlight = 2;

    // Creates hold the convergence lock: a round makes at most this many.
    private const int CreatesPerRound = 16;

    // When each new user of the demand window was given a container; read and changed only under the lock.
    private readonly Queue<DateTimeOffset> demand = [];

    // Containers being brought up outside the lock, by id; read and changed only under the lock.
    private readonly Dictionary<string, Task> bringUps = [];

    // A start that takes longer than a quarter of a Docker call's timeout is the sign of starts queued in
    // dockerd. At half of it, starts ran at 10-11 s through a storm and one stall of dockerd took one past the timeout.
    private readonly StartWindow window = new(LeastStartsInFlight, MostStartsInFlight, options.Value.DockerTimeout / 4);

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
                await RefillAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Refilling the warm pool failed; the next convergence tries again");
            }
        }
    }

    /// <summary>
    /// A warm container for a new user: a ready one, or else the first that this pool is bringing up
    /// to come up; null when there is neither. Call it holding the convergence lock.
    /// </summary>
    public async Task<SessionContainer?> TakeAsync(CancellationToken cancellationToken)
    {
        demand.Enqueue(clock.GetUtcNow());
        if ((await containers.ListAsync(reading: null, cancellationToken)).FirstOrDefault(c => c.IsClaimable) is { } ready)
        {
            return ready;
        }

        // The refill waits for the lock this wait holds: in a storm the starts in flight would dwindle.
        await FillAsync(cancellationToken);
        // Under the lock no bring-up leaves the list; one that fails is its own to remove.
        var starting = (await containers.ListAsync(reading: null, cancellationToken))
            .Where(c => c.IsWarm && bringUps.ContainsKey(c.Id)).ToDictionary(c => bringUps[c.Id]);
        while (starting.Count > 0)
        {
            var ended = await Task.WhenAny(starting.Keys);
            if (ended.IsCompletedSuccessfully)
            {
                return containers.Started(starting[ended]);
            }

            starting.Remove(ended);
        }

        return null;
    }

    private Task RefillAsync(CancellationToken cancellationToken) => convergenceLock.RunAsync(async () =>
    {
        await containers.RenameClaimedAsync(cancellationToken);
        await FillAsync(cancellationToken);
    }, cancellationToken);

    /// <summary>
    /// Creates the missing containers under the lock and brings them up outside it, each entered as
    /// running on its own once up: neither convergences nor the next round wait for a round's slowest start.
    /// </summary>
    private async Task FillAsync(CancellationToken cancellationToken)
    {
        var size = Target();
        var present = await containers.ListAsync(reading: null, cancellationToken);
        var warm = present.Where(c => c.IsWarm).ToList();
        foreach (var extra in warm.Skip(size))
        {
            _ = RemoveUnlockedAsync(extra);
        }

        for (var created = 0; warm.Count + created < size && created < CreatesPerRound && bringUps.Count < window.Allowed && present.Count < SessionContainers.MaxPerNetwork; created++)
        {
            var (start, began) = (window.Begin(), clock.GetTimestamp());
            var container = await containers.CreateAsync(null, containers.FreePort(), cancellationToken);
            var bringUp = BringUpAsync(container, cancellationToken);
            bringUps[container.Id] = bringUp;
            present.Add(container);
            _ = EnterWhenUpAsync(container, bringUp, start, began);
        }
    }

    /// <summary>
    /// Removes a container the pool no longer needs or that did not come up, outside the lock: a
    /// shrinking pool or a failed start must not hold up connects (dockerd took 6 s to remove one in a storm).
    /// </summary>
    private async Task RemoveUnlockedAsync(SessionContainer extra)
    {
        try
        {
            await containers.RemoveUnlockedAsync(extra);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Could not remove warm container {Container}; the next reconcile does", extra.Name);
        }
    }

    /// <summary>
    /// Once <paramref name="bringUp"/> ends, enters the container as running, or removes it when it
    /// did not come up, and tells the window how long its start took.
    /// </summary>
    private async Task EnterWhenUpAsync(SessionContainer created, Task bringUp, long start, long began)
    {
        var up = true;
        try
        {
            await bringUp;
        }
        catch (Exception exception)
        {
            up = false;
            logger.LogWarning(exception, "Warm container {Container} did not come up; it is removed", created.Name);
        }

        // Taken before the lock: in a storm the lock is held by new users waiting for these very starts.
        var took = clock.GetElapsedTime(began);
        await convergenceLock.RunAsync(() =>
        {
            Measure(start, took);
            Forget(created, remove: !up);
            return Task.CompletedTask;
        }, CancellationToken.None);

        if (up)
        {
            // A round that stopped at the starts in flight goes on once one of them is up.
            RequestRefill();
        }
    }

    private void Measure(long start, TimeSpan took)
    {
        if (window.Ended(start, took))
        {
            logger.LogInformation("A warm container took {Seconds:F1} s to start: {Allowed} start side by side now", took.TotalSeconds, window.Allowed);
        }
    }

    /// <summary>How many containers to keep ready now: the floor, plus the new users of the demand window, up to the most.</summary>
    private int Target()
    {
        var since = clock.GetUtcNow() - options.Value.WarmPoolDemandWindow;
        while (demand.TryPeek(out var at) && at < since)
        {
            demand.Dequeue();
        }

        return Math.Min(options.Value.WarmPoolSize + demand.Count, Math.Max(options.Value.WarmPoolSize, options.Value.WarmPoolMax));
    }

    /// <summary>Starts a created container and gives its interface a key, with no peers; takes no lock.</summary>
    private async Task BringUpAsync(SessionContainer created, CancellationToken cancellationToken)
    {
        await containers.BringUpAsync(created, cancellationToken);
        await InterfaceSync.ApplyAsync(
            containers.Interface(created), ContainerRecords.KeyFile(created.UapiDirectory), containers.ListenPort(created), [], traffic, cancellationToken);
    }

    /// <summary>Ends the bring-up of <paramref name="created"/>: enters it as running (unless a claim did) or removes it.</summary>
    private void Forget(SessionContainer created, bool remove)
    {
        bringUps.Remove(created.Id);
        if (remove)
        {
            _ = RemoveUnlockedAsync(created);
        }
        else
        {
            containers.Started(created);
        }
    }
}
