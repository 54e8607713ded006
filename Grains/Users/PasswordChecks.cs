namespace OrleansWg.Grains.Users;

/// <summary>
/// The silo's password checks: at most <see cref="UserOptions.MaxConcurrentHashes"/> Argon2id runs
/// at once, in turn, and a login that waits longer than <see cref="UserOptions.HashQueueTimeout"/>
/// for its turn is told the silo is busy. A check for a user who does not exist takes its turn
/// like any other and then waits as long as a real check takes, without hashing: the answer and
/// its timing do not tell whether the user exists, and a storm of made-up names costs no CPU.
/// </summary>
public sealed class PasswordChecks(IOptions<UserOptions> options, TimeProvider clock) : IDisposable
{
    private const double Smoothing = 0.1;

    private readonly SemaphoreSlim turns = new(options.Value.MaxConcurrentHashes, options.Value.MaxConcurrentHashes);

    // A moving average of how long a real check takes, for the checks of users who do not exist.
    private double typicalMilliseconds = 20;

    /// <returns>Whether the password matches; null when no turn came in time.</returns>
    public async Task<bool?> Verify(string password, string? hash)
    {
        if (!await turns.WaitAsync(options.Value.HashQueueTimeout))
        {
            return null;
        }

        if (hash is null)
        {
            turns.Release();
            await Task.Delay(TimeSpan.FromMilliseconds(typicalMilliseconds), clock);
            return false;
        }

        try
        {
            using var span = Telemetry.Spans.StartActivity("verify password");
            var started = clock.GetTimestamp();
            var matches = PasswordHash.Verify(password, hash);
            typicalMilliseconds += Smoothing * (clock.GetElapsedTime(started).TotalMilliseconds - typicalMilliseconds);
            return matches;
        }
        finally
        {
            turns.Release();
        }
    }

    /// <summary>A new hash, made in turn with the checks; an admin's change waits as long as it takes.</summary>
    public async Task<string> Create(string password)
    {
        await turns.WaitAsync();
        try
        {
            return PasswordHash.Create(password);
        }
        finally
        {
            turns.Release();
        }
    }

    public void Dispose() => turns.Dispose();
}
