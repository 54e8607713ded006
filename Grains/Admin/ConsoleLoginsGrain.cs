namespace OrleansWg.Grains.Admin;

public sealed class ConsoleLoginsGrain(
    [PersistentState("console-logins", StorageNames.Default)] IPersistentState<ConsoleLoginsState> state, TimeProvider clock)
    : Grain, IConsoleLoginsGrain
{
    /// <summary>The most logins kept: past it the one closest to its end goes first, so no flood of logins grows the state without bound.</summary>
    public const int MaxLogins = 1000;

    public async Task Store(string key, byte[] ticket, DateTimeOffset expires)
    {
        var logins = state.State.Logins;
        foreach (var ended in logins.Where(login => login.Value.Expires <= clock.GetUtcNow()).Select(login => login.Key).ToList())
        {
            logins.Remove(ended);
        }

        logins[key] = new ConsoleLogin(ticket, expires);
        while (logins.Count > MaxLogins)
        {
            logins.Remove(logins.MinBy(login => login.Value.Expires).Key);
        }

        await state.WriteStateAsync();
    }

    public Task<byte[]?> Get(string key) => Task.FromResult(
        state.State.Logins.TryGetValue(key, out var login) && login.Expires > clock.GetUtcNow() ? login.Ticket : null);

    public async Task Remove(string key)
    {
        if (state.State.Logins.Remove(key))
        {
            await state.WriteStateAsync();
        }
    }
}

[GenerateSerializer, Alias("owg.ConsoleLoginsState")]
public sealed class ConsoleLoginsState
{
    [Id(0)] public Dictionary<string, ConsoleLogin> Logins { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("owg.ConsoleLogin")]
public sealed record ConsoleLogin([property: Id(0)] byte[] Ticket, [property: Id(1)] DateTimeOffset Expires);
