using Microsoft.Extensions.Logging;
using OrleansWg.Grains.Sessions;

namespace OrleansWg.Grains.Users;

public sealed class UserGrain(
    [PersistentState("user", StorageNames.Default)] IPersistentState<UserState> state,
    IOptions<UserOptions> options,
    TimeProvider clock,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    // Checking a password for an unknown user against this costs what a real check costs,
    // so the reply does not tell whether the user exists.
    private static readonly Lazy<string> DecoyHash = new(() => PasswordHash.Create(Guid.NewGuid().ToString()));

    private string Name => this.GetPrimaryKeyString();

    private IUserDirectoryGrain Directory => GrainFactory.GetGrain<IUserDirectoryGrain>(0);

    public async Task<bool> Create(string password)
    {
        if (state.State.Exists)
        {
            return false;
        }

        state.State = new UserState { PasswordHash = PasswordHash.Create(password) };
        await state.WriteStateAsync();
        await Directory.Add(Name);
        return true;
    }

    public async Task<bool> Delete()
    {
        if (!state.State.Exists)
        {
            return false;
        }

        foreach (var sessionId in state.State.Sessions.Keys)
        {
            await GrainFactory.GetGrain<ISessionGrain>(sessionId).Close(CloseReason.UserDeleted);
        }

        await state.ClearStateAsync();
        state.State = new UserState();
        await Directory.Remove(Name);
        return true;
    }

    public async Task<bool> SetPassword(string password)
    {
        if (!state.State.Exists)
        {
            return false;
        }

        state.State.PasswordHash = PasswordHash.Create(password);
        Lockout.RecordSuccess(state.State);
        await state.WriteStateAsync();
        return true;
    }

    public async Task<bool> SetPermissions(ServerPermissions permissions)
    {
        if (!state.State.Exists)
        {
            return false;
        }

        state.State.Permissions = permissions;
        await state.WriteStateAsync();
        return true;
    }

    public Task<UserProfile?> Describe() => Task.FromResult(
        state.State.Exists
            ? new UserProfile(Name, state.State.Permissions, [.. state.State.Sessions.Select(s => new SessionPlacement(s.Key, s.Value))],
                Lockout.RemainingLock(state.State, clock.GetUtcNow()) is null ? null : state.State.LockedUntil)
            : null);

    public async Task<ConnectResult> Connect(ConnectRequest request)
    {
        var now = clock.GetUtcNow();
        if (!state.State.Exists)
        {
            PasswordHash.Verify(request.Password, DecoyHash.Value);
            return ConnectResult.Failed(ConnectStatus.InvalidCredentials, "wrong user name or password");
        }

        if (Lockout.RemainingLock(state.State, now) is { } remaining)
        {
            return ConnectResult.Failed(ConnectStatus.LockedOut, "the user is locked after too many wrong passwords", remaining);
        }

        if (!PasswordHash.Verify(request.Password, state.State.PasswordHash!))
        {
            Lockout.RecordFailure(state.State, now, options.Value);
            await state.WriteStateAsync();
            logger.LogInformation("Wrong password for {User}", Name);
            return ConnectResult.Failed(ConnectStatus.InvalidCredentials, "wrong user name or password");
        }

        var dirty = Lockout.RecordSuccess(state.State);
        if (state.State.Sessions.Count >= options.Value.MaxSessionsPerUser)
        {
            dirty |= await ForgetEndedSessions();
        }

        var result = await StartSession(request);
        if (result.Status == ConnectStatus.Connected)
        {
            state.State.Sessions[result.Session!.SessionId] = result.Session.ServerId;
            dirty = true;
        }

        if (dirty)
        {
            await state.WriteStateAsync();
        }

        return result;
    }

    public async Task SessionEnded(Guid sessionId)
    {
        if (state.State.Sessions.Remove(sessionId))
        {
            await state.WriteStateAsync();
        }
    }

    private async Task<ConnectResult> StartSession(ConnectRequest request)
    {
        var sessionId = SessionIds.ForConnect(Name, request.IdempotencyKey);
        var limit = options.Value.MaxSessionsPerUser;
        if (!state.State.Sessions.ContainsKey(sessionId) && state.State.Sessions.Count >= limit)
        {
            return ConnectResult.Failed(ConnectStatus.SessionLimitReached, $"the user has {limit} sessions already, the most allowed");
        }

        var placement = await GrainFactory.GetGrain<IServerSelectorGrain>(0).Rank(new PlacementRequest(
            state.State.Permissions, request.ServerId, [.. state.State.Sessions.Values.Distinct()]));
        switch (placement.Failure)
        {
            case PlacementFailure.NotPermitted:
                return ConnectResult.Failed(ConnectStatus.ServerNotPermitted, $"server '{request.ServerId}' is not permitted for this user");
            case PlacementFailure.NoneAvailable:
                return ConnectResult.Failed(ConnectStatus.NoServerAvailable, "no permitted server is up with free capacity");
        }

        return await GrainFactory.GetGrain<ISessionGrain>(sessionId)
            .Start(new SessionStart(Name, request.ClientPublicKey, placement.Candidates));
    }

    /// <summary>Drops sessions that ended without their one-way notice arriving.</summary>
    private async Task<bool> ForgetEndedSessions()
    {
        var ended = new List<Guid>();
        foreach (var sessionId in state.State.Sessions.Keys)
        {
            var view = await GrainFactory.GetGrain<ISessionGrain>(sessionId).Describe();
            if (view is null or { Status: SessionStatus.Closed or SessionStatus.Failed })
            {
                ended.Add(sessionId);
            }
        }

        ended.ForEach(sessionId => state.State.Sessions.Remove(sessionId));
        return ended.Count > 0;
    }
}
