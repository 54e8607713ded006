using Microsoft.Extensions.Logging;
using OrleansWg.Grains.Admin;
using OrleansWg.Grains.Audit;
using OrleansWg.Grains.Servers;
using OrleansWg.Grains.Sessions;

namespace OrleansWg.Grains.Users;

public sealed class UserGrain(
    [PersistentState("user", StorageNames.Default)] IPersistentState<UserState> state,
    IOptions<UserOptions> options,
    IOptions<PlacementOptions> placementOptions,
    PasswordChecks passwords,
    MfaSecrets mfaSecrets,
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
                state.State.Mfa?.Enrolled == true ? state.State.Mfa.RecoveryCodeHashes.Count : 0)
            : null);

    public async Task<ConnectResult> Connect(ConnectRequest request, CancellationToken givenUp)
    {
        var now = clock.GetUtcNow();
        if (await CheckPassword(request.Password, request.Source, now) is { } refused)
        {
            return refused;
        }

        if (state.State.Mfa is not { Enrolled: true } && await GroupsRequireMfa())
        {
            await Audit(LoginOutcomes.MfaEnrollmentRequired, request.Source, now);
            return ConnectResult.Failed(ConnectStatus.MfaEnrollmentRequired, "a group of this user requires a one-time code at connect: enroll first (owg mfa enroll)");
        }

        var recoveryCodesLeft = state.State.Mfa?.RecoveryCodeHashes.Count;
        if (await CheckCode(request.Otp, request.IdempotencyKey, request.Source, now) is { } wrongCode)
        {
            return wrongCode;
        }

        givenUp.ThrowIfCancellationRequested();
        var dirty = Lockout.RecordSuccess(state.State.Logins, request.Source, now) | state.State.Mfa is { Enrolled: true };
        if (state.State.Sessions.Count >= options.Value.MaxSessionsPerUser)
        {
            dirty |= await ForgetEndedSessions();
        }

        var sessionId = SessionIds.ForConnect(Name, request.IdempotencyKey);
        var result = await StartSession(sessionId, request);
        if (result.Status == ConnectStatus.Connected)
        {
            state.State.Sessions[sessionId] = result.Session!.ServerId;
            dirty = true;
        }

        if (dirty)
        {
            await state.WriteStateAsync();
        }

        var login = Event(state.State.Mfa?.RecoveryCodeHashes.Count < recoveryCodesLeft ? LoginOutcomes.RecoveryCode : LoginOutcomes.Ok, request.Source, now);
        await (result.Session is { } session
            ? audit.Append(login, login with { Kind = AuditKinds.Connect, SessionId = session.SessionId, ServerId = session.ServerId, Detail = session.Address })
            : audit.Append(login with { Detail = $"no session: {result.Status}" }));
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

    public async Task<MfaChange> BeginMfa(MfaLogin login)
    {
        var now = clock.GetUtcNow();
        if (!mfaSecrets.CanSeal)
        {
            return new MfaChange(ConnectStatus.MfaUnavailable, "this cluster cannot keep MFA secrets: an operator must set Users:SecretKeys", null);
        }

        if ((await CheckPassword(login.Password, login.Source, now) ?? await CheckCode(login.Otp, null, login.Source, now)) is { } refused)
        {
            return MfaChange.Refused(refused);
        }

        var secret = TotpCodes.NewSecret();
        state.State.Mfa ??= new MfaState();
        state.State.Mfa.PendingSealedSecret = mfaSecrets.Seal(Name, secret);
        await state.WriteStateAsync();
        await audit.Append(new AuditEvent(now, AuditKinds.Mfa, MfaOutcomes.Begun, Name, login.Source));
        return new MfaChange(ConnectStatus.Connected, null, null, Secret: secret);
    }

    public async Task<MfaChange> ConfirmMfa(MfaLogin login, string code)
    {
        var now = clock.GetUtcNow();
        if (await CheckPassword(login.Password, login.Source, now) is { } refused)
        {
            return MfaChange.Refused(refused);
        }

        if (state.State.Mfa is not { PendingSealedSecret: { } pending })
        {
            return new MfaChange(ConnectStatus.Conflict, "no enrollment was begun, or it was confirmed already: begin one (owg mfa enroll)", null);
        }

        if (TotpCodes.Verify(mfaSecrets.Open(Name, pending), code, now, lastStep: 0) is not { } step)
        {
            return MfaChange.Refused(await RefuseCode(login.Source, now));
        }

        var (codes, hashes) = RecoveryCodes.Make();
        state.State.Mfa = new MfaState { SealedSecret = pending, LastStep = step, RecoveryCodeHashes = hashes };
        await state.WriteStateAsync();
        await audit.Append(new AuditEvent(now, AuditKinds.Mfa, MfaOutcomes.Enrolled, Name, login.Source));
        logger.LogInformation("{User} enrolled in MFA", Name);
        return new MfaChange(ConnectStatus.Connected, null, null, RecoveryCodes: codes);
    }

    public async Task<bool> ResetMfa()
    {
        if (!state.State.Exists)
        {
            return false;
        }

        state.State.Mfa = null;
        await state.WriteStateAsync();
        logger.LogInformation("MFA of {User} reset by an admin", Name);
        return true;
    }

    /// <summary>The checks every login makes before its second factor: the lockout, the password and an admin's lock.</summary>
    /// <returns>null when they pass, else the refusal.</returns>
    private async Task<ConnectResult?> CheckPassword(string password, string source, DateTimeOffset now)
    {
        if (Lockout.RemainingLock(Failures, source, now) is { } remaining)
        {
            await Audit(LoginOutcomes.Locked, source, now);
            return ConnectResult.Failed(ConnectStatus.LockedOut, SourceLocked, remaining);
        }

        switch (await passwords.Verify(password, state.State.PasswordHash))
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

        return null;
    }

    /// <summary>
    /// The one-time code of a user enrolled in MFA: the code of this time step (or the one before or
    /// after) not taken before, or one of their recovery codes. A code taken is kept in memory here
    /// and written with the connect. The connect that took a code, tried again with the same
    /// idempotency key (its answer was lost, or no server was free), may give the same code again.
    /// </summary>
    /// <param name="connect">The idempotency key of the connect; null for a change of the MFA itself.</param>
    /// <returns>null when no code is needed or the code is right, else the refusal.</returns>
    private async Task<ConnectResult?> CheckCode(string? code, string? connect, string source, DateTimeOffset now)
    {
        if (state.State.Mfa is not { SealedSecret: { } sealedSecret } mfa)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(code))
        {
            await Audit(LoginOutcomes.OtpRequired, source, now);
            return ConnectResult.Failed(ConnectStatus.OtpRequired, "this user connects with a one-time code from their authenticator app as well");
        }

        var retried = connect is not null && connect == mfa.LastStepConnect;
        if (TotpCodes.Verify(mfaSecrets.Open(Name, sealedSecret), code.Trim(), now, retried ? mfa.LastStep - 1 : mfa.LastStep) is { } step)
        {
            mfa.LastStep = step;
            mfa.LastStepConnect = connect;
            return null;
        }

        if (RecoveryCodes.Spend(mfa.RecoveryCodeHashes, code))
        {
            await state.WriteStateAsync();
            return null;
        }

        return await RefuseCode(source, now);
    }

    /// <summary>A wrong one-time code counts towards the lockout like a wrong password.</summary>
    private async Task<ConnectResult> RefuseCode(string source, DateTimeOffset now)
    {
        Lockout.RecordFailure(state.State.Logins, source, now, options.Value);
        await state.WriteStateAsync();
        await Audit(LoginOutcomes.WrongOtp, source, now);
        return ConnectResult.Failed(ConnectStatus.WrongOtp, WrongCode);
    }

    /// <summary>Whether a group the user is permitted on (the generic pool's, for a user with no permissions) requires MFA.</summary>
    private async Task<bool> GroupsRequireMfa()
    {
        var permissions = state.State.Permissions;
        var groups = permissions.IsEmpty ? [ServerPermissions.GenericGroup] : permissions.Groups.IsDefault ? [] : permissions.Groups;
        var required = await Task.WhenAll(groups.Select(group => GrainFactory.GetGrain<IServerGroupGrain>(group).GetRequiresMfa()));
        return required.Any(r => r);
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

    private async Task<ConnectResult> StartSession(Guid sessionId, ConnectRequest request)
    {
        var limit = options.Value.MaxSessionsPerUser;
        if (!state.State.Sessions.ContainsKey(sessionId) && state.State.Sessions.Count >= limit)
        {
            return ConnectResult.Failed(ConnectStatus.SessionLimitReached, $"the user has {limit} sessions already, the most allowed");
        }

        var placement = await Selector.Rank(new PlacementRequest(state.State.Permissions, request.ServerId, HomeServers()));
        switch (placement.Failure)
        {
            case PlacementFailure.NotPermitted:
                return ConnectResult.Failed(ConnectStatus.ServerNotPermitted, $"server '{request.ServerId}' is not permitted for this user");
            case PlacementFailure.NoneAvailable:
                return ConnectResult.Failed(ConnectStatus.NoServerAvailable, "no permitted server is up with free capacity");
        }

        if (await AddressOf(sessionId) is not { } address)
        {
            return ConnectResult.Failed(ConnectStatus.NoServerAvailable, "the cluster's tunnel addresses are used up");
        }

        return await GrainFactory.GetGrain<ISessionGrain>(sessionId)
            .Start(new SessionStart(Name, request.ClientPublicKey, placement.Candidates, address, state.State.Limit));
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
        if ((pool.FreePeerAddress(block, state.State.Addresses.Values)
            ?? (await ForgetEndedSessions() ? pool.FreePeerAddress(block, state.State.Addresses.Values) : null)) is not { } address)
        {
            return null;
        }

        state.State.Addresses[sessionId] = address;
        await state.WriteStateAsync();
        return address;
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
