using Microsoft.Extensions.Logging;
using OrleansWg.Grains.Audit;
using OrleansWg.Grains.Servers;
using OrleansWg.Grains.Sso;
using OrleansWg.Grains.Sessions;

namespace OrleansWg.Grains.Users;

public sealed partial class UserGrain(
    [PersistentState("user", StorageNames.Default)] IPersistentState<UserState> state,
    IOptions<UserOptions> options,
    IOptions<PlacementOptions> placementOptions,
    PasswordChecks passwords,
    UserSecrets secrets,
    IOptions<SsoOptions> ssoOptions,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    private const string WrongCredentials = "wrong user name or password";
    private const string SourceLocked = "too many wrong passwords: this address is locked out of this user";
    private const string WrongCode = "wrong one-time code, or one used already";

    // A real user's wrong password is written this long after the answer, by a timer, not before
    // it: the answer then takes the time, and makes the writes, of an unknown user's.
    private static readonly TimeSpan FailuresWriteDelay = TimeSpan.FromSeconds(1);

    // The failures of a user who does not exist live only in memory: counted like a real user's,
    // so that the answers are alike, but a storm of made-up names writes nothing.
    private readonly LoginFailures unknownUserFailures = new();

    // The timer that writes a real user's failures, while some are not written.
    private IGrainTimer? failuresWrite;

    private string Name => this.GetPrimaryKeyString();

    private IUserDirectoryGrain Directory => GrainFactory.GetGrain<IUserDirectoryGrain>(0);

    private IServerSelectorGrain Selector => GrainFactory.GetGrain<IServerSelectorGrain>(0);

    private LoginFailures Failures => state.State.Exists ? state.State.Logins : unknownUserFailures;

    public async Task<bool> Create(string password)
    {
        if (state.State.Exists)
        {
            return false;
        }

        state.State = new UserState { PasswordHash = await passwords.Create(password) };
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

        var homes = HomeServers();
        await CloseSessions(CloseReason.UserDeleted);
        foreach (var serverId in homes)
        {
            await GrainFactory.GetGrain<IServerGrain>(serverId).RemoveIdleContainer(Name);
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

        state.State.PasswordHash = await passwords.Create(password);
        Lockout.Lift(state.State.Logins);
        await state.WriteStateAsync();
        await CloseSessions(CloseReason.CredentialsChanged);
        logger.LogInformation("Password of {User} changed", Name);
        return true;
    }

    public async Task<bool> SetLocked(bool locked)
    {
        if (!state.State.Exists)
        {
            return false;
        }

        state.State.LockedByAdmin = locked;
        if (!locked)
        {
            Lockout.Lift(state.State.Logins);
        }

        await state.WriteStateAsync();
        if (locked)
        {
            await CloseSessions(CloseReason.CredentialsChanged);
        }

        logger.LogInformation("{User} {Change} by an admin", Name, locked ? "locked" : "unlocked");
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

    public async Task<bool> SetLimit(BandwidthLimit? limit)
    {
        if (!state.State.Exists)
        {
            return false;
        }

        state.State.Limit = BandwidthLimit.OrNull(limit);
        await state.WriteStateAsync();
        logger.LogInformation("{User} has bandwidth limit {Limit}", Name, state.State.Limit);
        await Task.WhenAll(state.State.Sessions.Keys.Select(sessionId => GrainFactory.GetGrain<ISessionGrain>(sessionId).SetUserLimit(state.State.Limit)));
        return true;
    }

    public Task<UserProfile?> Describe() => Task.FromResult(
        state.State.Exists
            ? new UserProfile(Name, state.State.Permissions, [.. state.State.Sessions.Select(s => new SessionPlacement(s.Key, s.Value))],
                [.. Lockout.Locks(state.State.Logins, clock.GetUtcNow())], state.State.LockedByAdmin, state.State.Limit,
                Lockout.NewSourcesLockedUntil(state.State.Logins, clock.GetUtcNow()), state.State.Mfa?.Enrolled ?? false,
                state.State.Mfa?.Enrolled == true ? state.State.Mfa.RecoveryCodeHashes.Count : 0,
                state.State.Sso switch { null => null, { Revoked: true } => SsoUserState.RefusedByProvider, _ => SsoUserState.Allowed })
            : null);

    public async Task<ConnectResult> Connect(ConnectRequest request, CancellationToken givenUp)
    {
        var now = clock.GetUtcNow();
        var recoveryCodesLeft = state.State.Mfa?.RecoveryCodeHashes.Count;
        // The identity provider checks a single sign-on's second factor; a password login passes the cluster's.
        var refused = request.SsoGrant is { } grant
            ? await CheckLogin(() => Task.FromResult<bool?>(TakeSsoGrant(grant, request.IdempotencyKey, now)), request.Source, now)
            : await CheckPassword(request.Password, request.Source, now) ?? await CheckPasswordPolicy(request, now);
        if (refused is not null)
        {
            return refused;
        }

        givenUp.ThrowIfCancellationRequested();
        var dirty = Lockout.RecordSuccess(state.State.Logins, request.Source, now) | state.State.Mfa is { Enrolled: true };
        if (state.State.Sessions.Count >= options.Value.MaxSessionsPerUser)
        {
            dirty |= await ForgetEndedSessions();
        }

        var sessionId = SessionIds.ForConnect(Name, request.IdempotencyKey);
        var (start, refusal) = await PlanSession(sessionId, request);
        if (start is not null)
        {
            dirty |= !state.State.Addresses.ContainsKey(sessionId) | state.State.Sessions.TryAdd(sessionId, start.Servers[0]);
            state.State.Addresses[sessionId] = start.Address;
        }

        if (dirty)
        {
            // The one write before the session starts: with it, the session's address and the server it
            // is first placed on are the user's, also when this activation dies before the session's answer.
            await state.WriteStateAsync();
        }

        var login = Event(state.State.Mfa?.RecoveryCodeHashes.Count < recoveryCodesLeft ? LoginOutcomes.RecoveryCode : LoginOutcomes.Ok, request.Source, now);
        // A session that connects records the login with its connect, beside its own write.
        var result = refusal ?? await GrainFactory.GetGrain<ISessionGrain>(sessionId).Start(start! with { Login = login });
        if (result.Session is { } started && state.State.Sessions.GetValueOrDefault(sessionId) != started.ServerId)
        {
            state.State.Sessions[sessionId] = started.ServerId;
            await state.WriteStateAsync();
        }

        if (result.Status == ConnectStatus.Connected)
        {
            await RecheckSsoWhileConnected();
        }
        else
        {
            await audit.Append(login with { Detail = $"no session: {result.Status}" });
        }

        return result;
    }

    public async Task SessionEnded(Guid sessionId)
    {
        // A session whose start failed may be started again with the same idempotency key, and this
        // notice of the failure can arrive after that: a live session keeps its address and its place.
        if (await GrainFactory.GetGrain<ISessionGrain>(sessionId).Describe() is not (null or { Status: SessionStatus.Closed or SessionStatus.Failed }))
        {
            return;
        }

        var wasLive = state.State.Sessions.Remove(sessionId, out var serverId);
        if (wasLive && !state.State.Sessions.ContainsValue(serverId!))
        {
            state.State.LastSessionEnded[serverId!] = clock.GetUtcNow();
        }

        if (state.State.Addresses.Remove(sessionId) || wasLive)
        {
            await state.WriteStateAsync();
        }
    }

    /// <summary>The servers where the user has a container: those of their sessions, and those where one still lingers.</summary>
    private ImmutableArray<string> HomeServers()
    {
        var lingeringSince = clock.GetUtcNow() - placementOptions.Value.ContainerLinger;
        foreach (var (serverId, _) in state.State.LastSessionEnded.Where(ended => ended.Value < lingeringSince).ToList())
        {
            state.State.LastSessionEnded.Remove(serverId);
        }

        return [.. state.State.Sessions.Values.Union(state.State.LastSessionEnded.Keys)];
    }

    public async Task<ImmutableArray<string>> RankServers(string excluded)
    {
        if (!state.State.Exists || state.State.LockedByAdmin)
        {
            return [];
        }

        return (await Selector.Rank(new PlacementRequest(state.State.Permissions, null, HomeServers(), excluded))).Candidates;
    }

    /// <summary>The checks every login makes before its second factor: the lockout, the password (or single sign-on's grant), an admin's lock and the identity provider's.</summary>
    /// <param name="credential">Checks the password or grant: null when the silo is too busy to.</param>
    /// <returns>null when they pass, else the refusal.</returns>
    private async Task<ConnectResult?> CheckLogin(Func<Task<bool?>> credential, string source, DateTimeOffset now)
    {
        if (Lockout.RemainingLock(Failures, source, now) is { } remaining)
        {
            await Audit(LoginOutcomes.Locked, source, now);
            return ConnectResult.Failed(ConnectStatus.LockedOut, SourceLocked, remaining);
        }

        switch (await credential())
        {
            case null:
                await Audit(LoginOutcomes.Busy, source, now);
                return ConnectResult.Failed(ConnectStatus.Busy, "the service is busy checking other logins; try again shortly", TimeSpan.FromSeconds(1));
            case false:
                return await Refuse(source, now);
        }

        if (state.State.LockedByAdmin)
        {
            await Audit(LoginOutcomes.LockedByAdmin, source, now);
            return ConnectResult.Failed(ConnectStatus.LockedByAdmin, "the account is locked by an administrator");
        }

        if (state.State.Sso is { Revoked: true })
        {
            await Audit(LoginOutcomes.SsoRevoked, source, now);
            return ConnectResult.Failed(ConnectStatus.SsoRevoked, "the identity provider no longer lets this user log in");
        }

        return null;
    }

    private Task<ConnectResult?> CheckPassword(string password, string source, DateTimeOffset now) =>
        CheckLogin(() => passwords.Verify(password, state.State.PasswordHash), source, now);

    /// <summary>What a password login must pass beside the password: no group of the user requires single sign-on, and MFA.</summary>
    /// <returns>null when it passes, else the refusal.</returns>
    private async Task<ConnectResult?> CheckPasswordPolicy(ConnectRequest request, DateTimeOffset now)
    {
        var policy = await GroupsLoginPolicy();
        if (policy.RequiresSso)
        {
            await Audit(LoginOutcomes.SsoRequired, request.Source, now);
            return ConnectResult.Failed(ConnectStatus.SsoRequired, "a group of this user requires single sign-on: connect with owg connect --sso");
        }

        if (state.State.Mfa is not { Enrolled: true } && policy.RequiresMfa)
        {
            await Audit(LoginOutcomes.MfaEnrollmentRequired, request.Source, now);
            return ConnectResult.Failed(ConnectStatus.MfaEnrollmentRequired, "a group of this user requires a one-time code at connect: enroll first (owg mfa enroll)");
        }

        return await CheckCode(request.Otp, request.IdempotencyKey, request.Source, now);
    }

    /// <summary>
    /// What the groups the user may be placed in require of a login, all together: the groups they
    /// are permitted, those of the servers they are permitted by id, or the generic pool's for a
    /// user with no permissions.
    /// </summary>
    private async Task<GroupLoginPolicy> GroupsLoginPolicy()
    {
        var permissions = state.State.Permissions;
        IEnumerable<string> groups = permissions.IsEmpty ? [ServerPermissions.GenericGroup] : permissions.Groups.IsDefault ? [] : permissions.Groups;
        if (!permissions.ServerIds.IsDefaultOrEmpty)
        {
            var servers = await GrainFactory.GetGrain<IServerDirectoryGrain>(0).List();
            groups = groups.Union(servers.Where(server => permissions.ServerIds.Contains(server.Id)).Select(server => server.Group));
        }

        var policies = await Task.WhenAll(groups.Distinct().Select(group => GrainFactory.GetGrain<IServerGroupGrain>(group).GetLoginPolicy()));
        return new GroupLoginPolicy(policies.Any(p => p.RequiresMfa), policies.Any(p => p.RequiresSso));
    }

    /// <summary>A wrong password, or a user who does not exist: the same answer, the same time and writes, and the same count towards a lockout.</summary>
    private async Task<ConnectResult> Refuse(string source, DateTimeOffset now)
    {
        Lockout.RecordFailure(Failures, source, now, options.Value);
        if (state.State.Exists)
        {
            failuresWrite ??= this.RegisterGrainTimer(WriteFailures, FailuresWriteDelay, Timeout.InfiniteTimeSpan);
        }

        await Audit(state.State.Exists ? LoginOutcomes.WrongPassword : LoginOutcomes.UnknownUser, source, now);
        return ConnectResult.Failed(ConnectStatus.InvalidCredentials, WrongCredentials);
    }

    private async Task WriteFailures()
    {
        failuresWrite?.Dispose();
        failuresWrite = null;
        if (state.State.Exists)
        {
            await state.WriteStateAsync();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (failuresWrite is not null)
        {
            await WriteFailures();
        }
    }

    private AuditEvent Event(string outcome, string source, DateTimeOffset at) => new(at, AuditKinds.Login, outcome, Name, source);

    private Task Audit(string outcome, string source, DateTimeOffset at) => audit.Append(Event(outcome, source, at));

    private async Task CloseSessions(CloseReason reason)
    {
        foreach (var sessionId in state.State.Sessions.Keys.ToList())
        {
            await GrainFactory.GetGrain<ISessionGrain>(sessionId).Close(reason);
        }
    }

    /// <summary>What the session is started with: the servers to ask, best first, and its address; or why it cannot be.</summary>
    private async Task<(SessionStart? Start, ConnectResult? Refusal)> PlanSession(Guid sessionId, ConnectRequest request)
    {
        var limit = options.Value.MaxSessionsPerUser;
        if (!state.State.Sessions.ContainsKey(sessionId) && state.State.Sessions.Count >= limit)
        {
            return (null, ConnectResult.Failed(ConnectStatus.SessionLimitReached, $"the user has {limit} sessions already, the most allowed"));
        }

        var placement = await Selector.Rank(new PlacementRequest(state.State.Permissions, request.ServerId, HomeServers()));
        switch (placement.Failure)
        {
            case PlacementFailure.NotPermitted:
                return (null, ConnectResult.Failed(ConnectStatus.ServerNotPermitted, $"server '{request.ServerId}' is not permitted for this user"));
            case PlacementFailure.NoneAvailable:
                return (null, ConnectResult.Failed(ConnectStatus.NoServerAvailable, "no permitted server is up with free capacity"));
        }

        return await AddressOf(sessionId) is { } address
            ? (new SessionStart(Name, request.ClientPublicKey, placement.Candidates, address, state.State.Limit), null)
            : (null, ConnectResult.Failed(ConnectStatus.NoServerAvailable, "the cluster's tunnel addresses are used up"));
    }

    /// <summary>
    /// The session's tunnel address: one of the user's block that no other session of the user has.
    /// A new one is written before the session is started, so that no later connect can be given
    /// it while the session lives, also when this activation dies in between. It is given back only
    /// once the session has ended (its peers removed), never on a failed connect: a start whose
    /// answer was lost may have left a peer with it.
    /// </summary>
    private async Task<string?> AddressOf(Guid sessionId)
    {
        if (state.State.Addresses.TryGetValue(sessionId, out var known))
        {
            return known;
        }

        state.State.AddressBlock ??= await Directory.AddressBlock(Name);
        if (state.State.AddressBlock is not { } block)
        {
            return null;
        }

        var pool = new TunnelAddressPool(options.Value.TunnelPool);
        return pool.FreePeerAddress(block, state.State.Addresses.Values)
            ?? (await ForgetEndedSessions() ? pool.FreePeerAddress(block, state.State.Addresses.Values) : null);
    }

    /// <summary>Drops sessions, and the addresses of sessions, that ended (or never began) without their one-way notice arriving.</summary>
    private async Task<bool> ForgetEndedSessions()
    {
        var ended = new List<Guid>();
        foreach (var sessionId in state.State.Sessions.Keys.Union(state.State.Addresses.Keys).ToList())
        {
            var view = await GrainFactory.GetGrain<ISessionGrain>(sessionId).Describe();
            if (view is null or { Status: SessionStatus.Closed or SessionStatus.Failed })
            {
                ended.Add(sessionId);
            }
        }

        ended.ForEach(sessionId =>
        {
            state.State.Sessions.Remove(sessionId);
            state.State.Addresses.Remove(sessionId);
        });
        return ended.Count > 0;
    }
}
