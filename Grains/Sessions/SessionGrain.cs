using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans.Placement;
using OrleansWg.Grains.Audit;

namespace OrleansWg.Grains.Sessions;

// Made by its user's grain at connect, on that grain's silo: the start's calls between the two stay in one process.
[PreferLocalPlacement]
public sealed class SessionGrain(
    [PersistentState("session", StorageNames.Default)] IPersistentState<SessionState> state,
    IOptions<SessionOptions> options,
    TimeProvider clock,
    IAuditLog audit,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain, IRemindable
{
    private const string CheckReminder = "check";

    private Guid Id => this.GetPrimaryKey();

    private SessionState Session => state.State;

    public async Task<ConnectResult> Start(SessionStart start)
    {
        string? privateKey = null;
        var servers = start.Servers;
        var fresh = Session.User is null || Session.StartFailed;
        var checkRegistered = Task.CompletedTask;
        if (fresh)
        {
            privateKey = Begin(start);
            // Registered while servers are asked: should this activation die before the session's
            // first write, the check finds no session and stops.
            checkRegistered = RegisterCheck();
        }
        else if (SessionRules.ReplayConflict(Session, start) is { } conflict)
        {
            return ConnectResult.Failed(ConnectStatus.Conflict, conflict);
        }
        else
        {
            // A replay: the first start may have died before its reminder was registered.
            await RegisterCheck();
            if (Session is { Status: SessionStatus.Active, ServerId: { } current })
            {
                // It got through: the same peer again, asked of its own server.
                servers = [current];
            }
        }

        var wasActive = Session.Status == SessionStatus.Active;
        var failures = new List<string>();
        foreach (var serverId in servers)
        {
            await RecordAsked(serverId);
            var result = await RequestPeer(serverId);
            if (result.Grant is { } grant)
            {
                var token = SessionToken.HandOut(Session);
                Take(serverId, grant);
                Session.Revision = Math.Max(Session.Revision, 1);
                Session.Status = SessionStatus.Active;
                // The session's one write on its way to the client; the login and connect are recorded beside it.
                await Task.WhenAll(state.WriteStateAsync(), checkRegistered, start.Login is { } login
                    ? audit.Append(login, login with { Kind = AuditKinds.Connect, SessionId = Id, ServerId = serverId, Detail = grant.Address })
                    : Task.CompletedTask);
                logger.LogInformation("Session {SessionId} of {User} is active on {ServerId}", Id, start.User, serverId);
                await RemovePeersOtherThan(serverId);
                return ConnectResult.Connected(new SessionConfig(Id, token, serverId, grant.Endpoint, grant.Address,
                    grant.ServerPublicKey, privateKey, Session.AllowedIps!, Session.ExpiresAt, [.. Session.Dns], [.. Session.SearchDomains]));
            }

            failures.Add($"{serverId}: {result.Refusal} ({result.Detail})");
        }

        Session.FailureCause = failures.Count == 0 ? "no candidate server" : string.Join("; ", failures);
        logger.LogInformation("Session {SessionId} of {User} found no server: {Cause}", Id, start.User, Session.FailureCause);
        await checkRegistered;
        if (!wasActive)
        {
            await CloseAsync(CloseReason.StartFailed);
        }

        return ConnectResult.Failed(ConnectStatus.NoServerAvailable, "no permitted server can take the session now") with { FailedSession = Id };
    }

    /// <summary>
    /// Makes the session in memory: it is first written once a server has granted its peer. An
    /// activation that dies before that leaves a peer no session owns, which its server removes (at
    /// its audit, or at once when the user gives the address to another session).
    /// </summary>
    /// <returns>The client's private key when the session makes the key pair, else null.</returns>
    private string? Begin(SessionStart start)
    {
        var (privateKey, publicKey) = start.ClientPublicKey is { } clientKey ? (null, clientKey) : WireGuardKey.CreatePair();
        var now = clock.GetUtcNow();
        state.State = new SessionState
        {
            User = start.User,
            ClientPublicKey = publicKey,
            Address = start.Address,
            UserLimit = start.Limit,
            Status = SessionStatus.Provisioning,
            CreatedAt = now,
            ExpiresAt = now + options.Value.MaxLifetime,
            ServersTried = [.. start.Servers.Take(1)],
        };
        return privateKey;
    }

    /// <summary>The first check comes after a check period (a start cut off by then failed), the next ones are the backstop's.</summary>
    private Task RegisterCheck() => this.RegisterOrUpdateReminder(CheckReminder, options.Value.CheckPeriod, options.Value.BackstopPeriod);

    /// <summary>
    /// Records <paramref name="serverId"/> among the servers asked before it is asked: an activation
    /// that closes the session after this one died half-way removes the peer the server may have made,
    /// before the user gives the session's address to another session. A session never written yet
    /// records them with its first write; until then its servers' audits stand in.
    /// </summary>
    private async Task RecordAsked(string serverId)
    {
        if (!Session.ServersTried.Contains(serverId))
        {
            Session.ServersTried.Add(serverId);
            if (state.RecordExists)
            {
                await state.WriteStateAsync();
            }
        }
    }

    /// <summary>A server asked before may have made a peer whose answer never came; its audit removes what this misses.</summary>
    private async Task RemovePeersOtherThan(string serverId)
    {
        foreach (var other in Session.ServersTried.Where(s => s != serverId))
        {
            try
            {
                await GrainFactory.GetGrain<IServerGrain>(other).RemovePeer(Id);
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Session {SessionId} could not remove its peer from {ServerId}", Id, other);
            }
        }
    }

    public Task<SessionView?> Describe() => Task.FromResult(Session.User is null
        ? null
        : new SessionView(Id, Session.User, Session.ServerId, Session.Address, Session.Status,
            Session.CreatedAt, Session.ExpiresAt, Session.LastCheckedAt, Session.LastActivity, Session.CloseReason, Session.FailureCause,
            Session.Endpoint, Session.ServerPublicKey, Session.Revision, [.. Session.Moves], Session.Limit,
            [.. Session.Dns], [.. Session.SearchDomains], Session.AllowedIps));

    public Task<bool> Authorize(string token) =>
        Task.FromResult(Session.User is not null && SessionToken.IsValid(token, Session));

    public Task Close(CloseReason reason) => CloseAsync(reason);

    public Task<bool> Move(MoveReason reason) => Session.Status == SessionStatus.Active ? MoveAway(reason) : Task.FromResult(false);

    public async Task SetUserLimit(BandwidthLimit? limit)
    {
        if (Session.User is null || Session.Ended)
        {
            return;
        }

        Session.UserLimit = limit;
        if (Session is { Status: SessionStatus.Active, ServerId: { } serverId })
        {
            try
            {
                var server = GrainFactory.GetGrain<IServerGrain>(serverId);
                Session.Limit = await server.SetPeerLimit(Id, limit);
                // The limit holds on the node when the admin's call returns.
                await server.AwaitPeer(Id);
            }
            catch (Exception exception)
            {
                // The limit is the session's: it goes with the peer on the session's next start or move.
                logger.LogWarning(exception, "Session {SessionId} could not give {ServerId} its new limit", Id, serverId);
            }
        }

        await state.WriteStateAsync();
    }

    public async Task LimitApplied(BandwidthLimit? limit)
    {
        if (Session.Status == SessionStatus.Active && Session.Limit != limit)
        {
            Session.Limit = limit;
            await state.WriteStateAsync();
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => CheckNow();

    public Task Check() => CheckNow();

    /// <summary>Ends or moves the session when it should; writes only what changed (its peer's newer activity).</summary>
    private async Task CheckNow()
    {
        if (Session.User is null)
        {
            await StopReminder();
            return;
        }

        var now = clock.GetUtcNow();
        if (Session.Ended)
        {
            await ForgetOnceRetained(now);
            return;
        }

        // Kept in memory: written with the next change, not on its own.
        Session.LastCheckedAt = now;
        var peer = await AskServer();
        var activitySeen = peer?.LastActivity is { } seen && !(Session.LastActivity >= seen);
        if (activitySeen)
        {
            Session.LastActivity = peer!.LastActivity;
        }

        var reason = SessionRules.ReasonToClose(Session, now, options.Value, peer?.NodeDownFor, activityKnown: peer is { Reported: true });
        if (peer?.NodeDownFor is not null && reason is null or CloseReason.NodeLost && await MoveAway(MoveReason.NodeDown))
        {
            return;
        }

        if (reason is not null)
        {
            await CloseAsync(reason.Value);
        }
        else if (activitySeen)
        {
            await state.WriteStateAsync();
        }
    }

    /// <summary>Deletes an ended session's state once it has been kept for Sessions:ClosedRetention.</summary>
    private async Task ForgetOnceRetained(DateTimeOffset now)
    {
        if (Session.ClosedAt is { } closedAt && now - closedAt < options.Value.ClosedRetention)
        {
            return;
        }

        await StopReminder();
        await state.ClearStateAsync();
        logger.LogInformation("Session {SessionId} is forgotten, {Retention} after it ended", Id, options.Value.ClosedRetention);
        DeactivateOnIdle();
    }

    /// <returns>What the server says of the peer, or null when there is no server to ask or it did not answer.</returns>
    private async Task<PeerStatus?> AskServer()
    {
        if (Session is not { Status: SessionStatus.Active, ServerId: { } serverId })
        {
            return null;
        }

        try
        {
            return await GrainFactory.GetGrain<IServerGrain>(serverId).GetPeerStatus(Id);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Session {SessionId} could not ask {ServerId} about its peer", Id, serverId);
            return null;
        }
    }

    /// <summary>Puts the session on the first server its user may use now, other than its own; records the move.</summary>
    private async Task<bool> MoveAway(MoveReason reason)
    {
        var from = Session.ServerId!;
        foreach (var to in await GrainFactory.GetGrain<IUserGrain>(Session.User!).RankServers(from))
        {
            await RecordAsked(to);
            var result = await RequestPeer(to);
            if (result.Grant is not { } grant)
            {
                logger.LogInformation("Session {SessionId} could not move to {ServerId}: {Refusal} ({Detail})", Id, to, result.Refusal, result.Detail);
                continue;
            }

            var now = clock.GetUtcNow();
            Take(to, grant);
            Session.Revision++;
            Session.Moves.Add(new SessionMove(from, to, now, reason));
            // The client has yet to follow: its idle time counts from the move.
            Session.LastActivity = now;
            await state.WriteStateAsync();
            logger.LogInformation("Session {SessionId} of {User} moved from {From} to {To}: {Reason}", Id, Session.User, from, to, reason);
            await audit.Append(new AuditEvent(now, AuditKinds.Move, JsonNamingPolicy.KebabCaseLower.ConvertName(reason.ToString()), Session.User,
                SessionId: Id, ServerId: to, Detail: $"from {from}"));
            await RemovePeersOtherThan(to);
            return true;
        }

        return false;
    }

    private void Take(string serverId, PeerGrant grant)
    {
        Session.ServerId = serverId;
        Session.Address = grant.Address;
        Session.Endpoint = grant.Endpoint;
        Session.ServerPublicKey = grant.ServerPublicKey;
        Session.Limit = grant.Limit;
        Session.Dns = grant.DnsServer is { } resolver ? [resolver] : [];
        Session.SearchDomains = [.. grant.Dns?.SearchDomains ?? []];
        Session.AllowedIps = SessionRules.AllowedIps(grant, options.Value.ClientAllowedIps);
    }

    private async Task<PeerResult> RequestPeer(string serverId)
    {
        try
        {
            var server = GrainFactory.GetGrain<IServerGrain>(serverId);
            var recorded = await server.RecordPeer(new PeerRequest(Id, Session.User!, Session.ClientPublicKey, Session.Address!, Session.UserLimit, Session.ExpiresAt));
            return recorded.Pending ? await server.AwaitPeer(Id) : recorded;
        }
        catch (Exception exception)
        {
            // The outcome is unknown: the server stays in ServersTried, so closing removes any peer it made.
            logger.LogWarning(exception, "Adding the peer of session {SessionId} on {ServerId} failed", Id, serverId);
            return PeerResult.Refused(PeerRefusal.Unreachable, exception.GetType().Name);
        }
    }

    private async Task CloseAsync(CloseReason reason)
    {
        if (Session.User is null || Session.Ended)
        {
            return;
        }

        Session.Status = SessionStatus.Closing;
        Session.CloseReason ??= reason;
        await state.WriteStateAsync();
        try
        {
            foreach (var server in Session.ServersTried.Select(id => GrainFactory.GetGrain<IServerGrain>(id)))
            {
                // Ended once the node has taken the removal, or its server has given up waiting for it.
                await server.RemovePeer(Id);
                await server.AwaitPeer(Id);
            }
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Removing the peer of session {SessionId} failed; the next check retries", Id);
            return;
        }

        var ended = Session.CloseReason.Value;
        await audit.Append(new AuditEvent(clock.GetUtcNow(), ended == CloseReason.Client ? AuditKinds.Disconnect : AuditKinds.Close,
            JsonNamingPolicy.KebabCaseLower.ConvertName(ended.ToString()), Session.User, SessionId: Id, ServerId: Session.ServerId));
        Session.Status = ended == CloseReason.StartFailed ? SessionStatus.Failed : SessionStatus.Closed;
        Session.ClosedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        // The reminder stays, to forget the session when its retention is over.
        await this.RegisterOrUpdateReminder(CheckReminder, options.Value.ClosedRetention, options.Value.ClosedRetention);
        await GrainFactory.GetGrain<IUserGrain>(Session.User).SessionEnded(Id);
        logger.LogInformation("Session {SessionId} of {User} ended: {Reason}", Id, Session.User, Session.CloseReason);
        DeactivateOnIdle();
    }

    private async Task StopReminder()
    {
        if (await this.GetReminder(CheckReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
