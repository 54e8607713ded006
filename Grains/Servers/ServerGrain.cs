using System.Net;
using Microsoft.Extensions.Logging;
using OrleansWg.Grains.Sessions;

namespace OrleansWg.Grains.Servers;

public sealed class ServerGrain(
    [PersistentState("server", StorageNames.Default)] IPersistentState<ServerState> state,
    IPersistentStateFactory stateFactory,
    IGrainContext grainContext,
    IOptions<PlacementOptions> options,
    IOptions<SessionOptions> sessionOptions,
    IOptions<EnrollmentOptions> enrollmentOptions,
    NodeCertificateIssuer issuer,
    NodeDownMetrics downs,
    TimeProvider clock,
    ILogger<ServerGrain> logger) : Grain, IServerGrain
{
    // A push a silo rejected unsent is sent this many times in all.
    private const int MaxPushAttempts = 3;

    // A group tells its servers of a change once: a server that missed it (its silo died just then)
    // reads the group again on a heartbeat at least this long after its last read.
    private static readonly TimeSpan GroupRecheckPeriod = TimeSpan.FromMinutes(1);

    // A node's liveness is not persisted: a new activation counts from its own start until the node is heard.
    private readonly DateTimeOffset activatedAt = clock.GetUtcNow();
    private readonly NodeLiveness liveness = new(clock, options.Value.NodeDownAfter, options.Value.NodeRestartGrace, NodeLiveness.CheckPeriodFor(options.Value.NodeDownAfter));
    private readonly ContainerShards containers = new(stateFactory, grainContext);

    // When the node was last heard from, as the admins see it.
    private DateTimeOffset? lastSeen;

    // The sessions of a node that went down being asked, a few a second, to move.
    private Task? movingAway;
    private readonly HeartbeatBudget heartbeats = new(options.Value.HeartbeatBurst, options.Value.HeartbeatsPerSecond);

    // When this activation last asked for the group's limit and DNS policy; null: not yet.
    private DateTimeOffset? groupReadAt;

    // A push the node did not answer (its silo route is gone, or it is stuck): further pushes would
    // wait as long, holding this grain, so connects are refused at once until the node's next heartbeat.
    private bool agentSilent;
    private Dictionary<string, ActualPeer> reported = [];

    // When the node last reported what it runs; null until it has since this activation.
    private DateTimeOffset? reportedAt;

    // The node's interfaces by user, as last reported: a grant follows a convergence, which reports them.
    private Dictionary<string, ActualContainer> interfaces = [];

    private string Id => this.GetPrimaryKeyString();

    private ServerState Server => state.State;

    /// <summary>The revision of the desired state: one more with every change to it.</summary>
    private long Revision => Server.Revision + containers.Revision;

    public async Task<DesiredNodeState> Register(NodeRegistration registration, INodeAgent nodeAgent, NodeActualState? actual)
    {
        if (!Server.Enrolled)
        {
            throw new ServerNotEnrolledException(
                $"server {Id} is not enrolled: an admin makes it first (PUT /v1/admin/servers/{Id} with its capacity and public address)");
        }

        RefuseUnadmittedNode();
        if (!heartbeats.TryTake(clock.GetUtcNow()))
        {
            throw new HeartbeatsTooFrequentException($"server {Id} takes at most {options.Value.HeartbeatsPerSecond} heartbeats a second");
        }

        _ = new TunnelAddressPool(registration.TunnelPool); // throws for a pool that cannot be cut into /24s
        // What the node says of itself is checked though placement goes by the admin's: a node that sends nonsense is refused.
        if (registration.PortMin > registration.PortMax || registration.Capacity < 0 || !IPAddress.TryParse(registration.PublicAddress, out _)
            || !Names.IsValid(registration.Group))
        {
            throw new ArgumentException($"registration of {Id} has an empty port range, a negative capacity, a public address that is not an IP address or a bad group");
        }

        Heard(aliveSignal: false);
        agentSilent = false;
        if (actual is not null)
        {
            Apply(actual);
        }

        var moved = Server.Registration != registration;
        if (moved || !Equals(Server.Agent, nodeAgent))
        {
            Server.Registration = registration;
            Server.Agent = nodeAgent;
            await state.WriteStateAsync();
            if (moved)
            {
                logger.LogInformation("Server {ServerId} registered; its node says group {Group}, capacity {Capacity}, address {Address}, and the admin's "
                    + "group {AdminGroup}, capacity {AdminCapacity}, address {AdminAddress} apply", Id, registration.Group, registration.Capacity,
                    registration.PublicAddress, Server.Effective!.Group, Server.Effective.Capacity, Server.Effective.PublicAddress);
            }
        }

        await ReportLoad();
        if (moved || (groupReadAt is null && Server.GroupDns is null) || clock.GetUtcNow() - (groupReadAt ?? activatedAt) >= GroupRecheckPeriod)
        {
            await ReadGroup(answeringNode: true);
        }

        return Desired();
    }

    public Task NodeAlive()
    {
        RefuseUnadmittedNode();
        Heard(aliveSignal: true);
        return Task.CompletedTask;
    }

    private void Heard(bool aliveSignal)
    {
        lastSeen = clock.GetUtcNow();
        if (liveness.Heard(aliveSignal))
        {
            logger.LogInformation("Server {ServerId}: its node is heard from again", Id);
        }
    }

    public async Task Leave(INodeAgent nodeAgent)
    {
        RefuseUnadmittedNode();
        // A node that has started again may have registered its new agent already.
        if (!Equals(Server.Agent, nodeAgent))
        {
            return;
        }

        Server.Agent = null;
        liveness.Left();
        await state.WriteStateAsync();
        logger.LogInformation("Server {ServerId}: its node is stopping; no new session until it registers again, and its sessions stay for {Grace}",
            Id, options.Value.NodeRestartGrace);
        await ReportLoad();
    }

    public async Task<PeerResult> AddPeer(PeerRequest request)
    {
        if (Server.Effective is not { } registration || !IsConnected)
        {
            return PeerResult.Refused(PeerRefusal.NodeNotConnected, "its node is not connected");
        }

        if (agentSilent)
        {
            return PeerResult.Refused(PeerRefusal.NodeSilent, "its node did not answer; it is asked again after its next heartbeat");
        }

        var wanted = new SessionPeer(request.ClientPublicKey, request.Address, request.Limit, clock.GetUtcNow(), request.ExpiresAt);
        if (FindPeer(request.SessionId) is { } existing)
        {
            // A start tried again after a failure may come with another address (the first was given
            // back) or key: the peer becomes what the session asks for now.
            var peer = existing.Peer;
            if (!peer.Matches(request))
            {
                if (AddressRefusal(registration, existing.Container, request) is { } refusal)
                {
                    return refusal;
                }

                peer = existing.Container.Peers[request.SessionId] = wanted with { AddedAt = peer.AddedAt };
                await containers.WriteAsync(existing.User);
            }

            return await Converge(existing.User, options.Value.NodeCallTimeout) is { } nodeFailure
                ? PeerResult.Refused(PeerRefusal.NodeFailed, nodeFailure)
                : Grant(registration, existing.User, peer);
        }

        if (Server.Draining)
        {
            return PeerResult.Refused(PeerRefusal.Draining, "it is draining");
        }

        if (containers.PeerCount >= registration.Capacity)
        {
            return PeerResult.Refused(PeerRefusal.Full, $"it is full ({registration.Capacity} sessions)");
        }

        var container = containers.Find(request.User);
        var isNewContainer = container is null;
        container ??= new UserContainer();
        if (AddressRefusal(registration, container, request) is { } refused)
        {
            return refused;
        }

        containers.Set(request.User, container);
        container.Peers[request.SessionId] = wanted;
        container.EmptySince = null;
        await containers.WriteAsync(request.User);

        if (await Converge(request.User, isNewContainer ? options.Value.ContainerStartTimeout : options.Value.NodeCallTimeout) is { } failure)
        {
            container.Peers.Remove(request.SessionId);
            if (isNewContainer)
            {
                containers.Remove(request.User);
            }
            else if (container.Peers.Count == 0)
            {
                container.EmptySince = clock.GetUtcNow();
            }

            await containers.WriteAsync(request.User);
            return PeerResult.Refused(PeerRefusal.NodeFailed, failure);
        }

        await ReportLoad();
        return Grant(registration, request.User, wanted);
    }

    public async Task RemovePeer(Guid sessionId)
    {
        if (FindPeer(sessionId) is not { } found)
        {
            return;
        }

        found.Container.Peers.Remove(sessionId);
        if (found.Container.Peers.Count == 0)
        {
            if (options.Value.ContainerLinger > TimeSpan.Zero)
            {
                found.Container.EmptySince = clock.GetUtcNow();
            }
            else
            {
                containers.Remove(found.User);
            }
        }

        await containers.WriteAsync(found.User);
        await ReportLoad();
        await PushWritten($"removing session {sessionId}", found.User);
    }

    public async Task RemoveIdleContainer(string user)
    {
        if (containers.Find(user) is not { Peers.Count: 0 })
        {
            return;
        }

        containers.Remove(user);
        await containers.WriteAsync(user);
        await PushWritten($"removing the container of {user}", user);
    }

    public async Task RemoveOrphanPeer(Guid sessionId)
    {
        if (FindPeer(sessionId) is not null && !await IsOwned(sessionId))
        {
            logger.LogInformation("Server {ServerId} removes the peer of session {SessionId}: no live session of its own owns it", Id, sessionId);
            await RemovePeer(sessionId);
        }
    }

    public Task<ServerView?> Describe() => Task.FromResult(Server.Effective is { } registration
        ? new ServerView(Id, registration, Server.Draining, IsConnected, lastSeen,
            [.. containers.All.SelectMany(c => c.Value.Peers.Select(p =>
                new PeerView(p.Key, c.Key, p.Value.Address, reported.GetValueOrDefault(p.Value.PublicKey))))],
            Server.Certificates.LiveUntil(clock.GetUtcNow()), Server.Certificates.RevokedAt)
        : null);

    public async Task<BandwidthLimit?> SetPeerLimit(Guid sessionId, BandwidthLimit? userLimit)
    {
        if (FindPeer(sessionId) is not { } found)
        {
            return null;
        }

        if (found.Peer.Limit != userLimit)
        {
            found.Container.Peers[sessionId] = found.Peer with { Limit = userLimit };
            await containers.WriteAsync(found.User);
            await PushWritten($"the limit of session {sessionId}", found.User);
        }

        return BandwidthLimit.Of(userLimit, Server.GroupLimit);
    }

    public Task RefreshGroup() => ReadGroup(answeringNode: false);

    /// <param name="answeringNode">A heartbeat's: its answer carries the new policy's stamp, so only a new limit needs a push.</param>
    private async Task ReadGroup(bool answeringNode)
    {
        if (Server.Effective is not { } registration)
        {
            return;
        }

        BandwidthLimit? limit;
        SessionDns dns;
        // Counted from the attempt: a group that does not answer is asked again a recheck later, not on every heartbeat.
        groupReadAt = clock.GetUtcNow();
        try
        {
            // Bounded: the group grain may be on a silo that just died, and this grain answers heartbeats and connects.
            var group = GrainFactory.GetGrain<IServerGroupGrain>(registration.Group);
            limit = await group.GetLimit().WaitAsync(options.Value.DirectoryTimeout);
            dns = await group.GetSessionDns().WaitAsync(options.Value.DirectoryTimeout);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Server {ServerId} could not read the settings of its group {Group}; it keeps limit {Limit} and DNS policy {Stamp}",
                Id, registration.Group, Server.GroupLimit, Server.GroupDns?.Stamp);
            return;
        }

        if (limit == Server.GroupLimit && dns.Stamp == Server.GroupDns?.Stamp)
        {
            return;
        }

        var previous = Server.GroupLimit;
        Server.GroupLimit = limit;
        Server.GroupDns = dns;
        Server.Revision++;
        await state.WriteStateAsync();
        logger.LogInformation("Server {ServerId} applies its group's bandwidth limit {Limit} and DNS policy {Stamp}", Id, limit, dns.Stamp);
        if (!answeringNode || limit != previous)
        {
            await PushWritten("its group's settings");
        }

        foreach (var (sessionId, peer) in containers.All.SelectMany(container => container.Value.Peers))
        {
            if (BandwidthLimit.Of(peer.Limit, limit) is var applied && applied != BandwidthLimit.Of(peer.Limit, previous))
            {
                await GrainFactory.GetGrain<ISessionGrain>(sessionId).LimitApplied(applied);
            }
        }
    }

    public Task<GroupDns> GetDnsPolicy()
    {
        RefuseUnadmittedNode();
        return GrainFactory.GetGrain<IServerGroupGrain>(Server.Effective?.Group ?? ServerPermissions.GenericGroup).GetDns();
    }

    public Task<PeerStatus> GetPeerStatus(Guid sessionId) => Task.FromResult(new PeerStatus(
        FindPeer(sessionId) is { } found ? reported.GetValueOrDefault(found.Peer.PublicKey)?.LastActivity : null,
        liveness.DownFor, Reported: reportedAt is not null));

    public async Task<bool> SetDraining(bool draining)
    {
        if (!Server.Enrolled)
        {
            return false;
        }

        if (Server.Draining != draining)
        {
            Server.Draining = draining;
            await state.WriteStateAsync();
            if (Server.Registration is not null)
            {
                await ReportLoad();
            }

            logger.LogInformation("Server {ServerId} draining: {Draining}", Id, draining);
        }

        return true;
    }

    public async Task<JoinToken?> IssueJoinToken(TimeSpan? lifetime)
    {
        if (!Server.Enrolled)
        {
            return null;
        }

        var token = Server.Certificates.IssueJoinToken(clock.GetUtcNow(), lifetime ?? enrollmentOptions.Value.JoinTokenLifetime);
        await state.WriteStateAsync();
        logger.LogInformation("Server {ServerId} has a new join token, good until {ExpiresAt}", Id, token.ExpiresAt);
        return token;
    }

    public async Task<NodeEnrollment> Enroll(string joinToken, string certificateRequestPem)
    {
        if (!Server.Enrolled || !Server.Certificates.IsJoinToken(joinToken, clock.GetUtcNow()))
        {
            if (!Server.Enrolled)
            {
                // Anyone may ask for any server id: one that no admin made leaves no activation behind.
                DeactivateOnIdle();
            }

            logger.LogWarning("Server {ServerId} refused an enrollment: its join token is not valid", Id);
            return new NodeEnrollment(null, EnrollmentRefusal.TokenNotValid, "the join token is not valid: it is used, expired or not this server's");
        }

        // Spent only with an identity issued: a request that cannot be read may be sent again, corrected.
        return await Issue(certificateRequestPem, spendJoinToken: true, renewed: null);
    }

    public Task<NodeEnrollment> RenewCertificate(string certificateRequestPem)
    {
        var node = RefuseUnadmittedNode();
        // Each renewal costs a signature and a write: a node renews once two thirds of its certificate's life have passed, not in a loop.
        if (node is { ExpiresAt: { } expires } && expires - clock.GetUtcNow() > enrollmentOptions.Value.CertificateLifetime / 2)
        {
            return Task.FromResult(new NodeEnrollment(null, EnrollmentRefusal.TooEarly, $"its certificate lasts until {expires}: renew it once less than half its life is left"));
        }

        return Issue(certificateRequestPem, spendJoinToken: false, renewed: node?.Serial);
    }

    public async Task<bool> Revoke()
    {
        if (!Server.Enrolled)
        {
            return false;
        }

        Server.Certificates.Revoke(clock.GetUtcNow());
        // The node's agent is forgotten: no push reaches it, and no session is placed here.
        Server.Agent = null;
        await state.WriteStateAsync();
        logger.LogWarning("Server {ServerId}: its node's certificates are revoked", Id);
        if (Server.Registration is not null)
        {
            await ReportLoad();
        }

        return true;
    }

    /// <param name="renewed">The serial of the certificate the node renews, which stays good until it expires.</param>
    private async Task<NodeEnrollment> Issue(string certificateRequestPem, bool spendJoinToken, string? renewed)
    {
        if (NodeCertificateIssuer.ReadRequest(certificateRequestPem) is not { } request)
        {
            return new NodeEnrollment(null, EnrollmentRefusal.BadRequest, "the certificate request is not a PEM certificate signing request of an ECDSA key that signed it");
        }

        var identity = issuer.Issue(Id, request, clock.GetUtcNow(), enrollmentOptions.Value.CertificateLifetime);

        if (spendJoinToken)
        {
            Server.Certificates.SpendJoinToken();
        }

        Server.Certificates.Add(identity, renewed, clock.GetUtcNow());
        await state.WriteStateAsync();
        logger.LogInformation("Server {ServerId}: its node has certificate {Serial}, until {ExpiresAt}", Id, identity.Serial, identity.ExpiresAt);
        return new NodeEnrollment(identity);
    }

    /// <summary>
    /// Refuses a call from a node whose certificate no longer admits it (revoked, expired, or replaced
    /// by an enrollment): the silo's filter has checked the credential's signature; this is the server's
    /// own word on which certificates are its node's.
    /// </summary>
    /// <returns>The calling node's role, as its credential names it; null for a call from a silo or the Gateway.</returns>
    private CallerRole? RefuseUnadmittedNode()
    {
        if (RequestContext.Get(RoleCredential.RequestContextKey) is not string credential || RoleCredential.Read(credential) is not { Role: CallerRole.Node } node)
        {
            return null;
        }

        return Server.Certificates.Admits(node, clock.GetUtcNow())
            ? node
            : throw new ServerNotEnrolledException($"server {Id} does not admit this node's certificate: it is revoked, expired or not from its latest enrollment; "
                + $"an admin gives it a new join token (POST /v1/admin/servers/{Id}/join-token)");
    }

    public async Task<ServerConfigured> Configure(ServerSettings settings)
    {
        if (!Server.Enrolled && (settings.Capacity is null || settings.PublicAddress is null))
        {
            return ServerConfigured.Incomplete;
        }

        if (settings.Capacity < 0 || (settings.PublicAddress is { } address && !IPAddress.TryParse(address, out _))
            || (settings.Group is { } group && !Names.IsValid(group)))
        {
            throw new ArgumentException($"settings of {Id}: a negative capacity, a public address that is not an IP address or a bad group");
        }

        var created = !Server.Enrolled;
        Server.Enrolled = true;
        Server.Group = settings.Group ?? Server.Group ?? ServerPermissions.GenericGroup;
        Server.Capacity = settings.Capacity ?? Server.Capacity;
        Server.PublicAddress = settings.PublicAddress ?? Server.PublicAddress;
        await state.WriteStateAsync();
        if (Server.Registration is not null)
        {
            await ReportLoad();
            await RefreshGroup();
        }

        logger.LogInformation("Server {ServerId} {Change}: group {Group}, capacity {Capacity}, address {Address}", Id,
            created ? "made" : "changed", Server.Group, Server.Capacity, Server.PublicAddress);
        return created ? ServerConfigured.Created : ServerConfigured.Changed;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Server is { Registration: { } registered, Enrolled: false })
        {
            // A server its node registered before admins made servers: it keeps what it was placed by.
            Server.Enrolled = true;
            Server.Group ??= registered.Group;
            Server.Capacity ??= registered.Capacity;
            Server.PublicAddress ??= registered.PublicAddress;
        }

        if (Server.ContainersBeforeShards is { } before)
        {
            foreach (var (user, container) in before)
            {
                containers.Set(user, container);
            }

            await containers.WriteAsync(before.Keys);
            Server.ContainersBeforeShards = null;
        }

        if (Server.Enrolled)
        {
            // Later than every activation's before, whatever this silo's clock says; written before
            // any state of this epoch reaches the node, so the next activation's is later still.
            Server.Epoch = Math.Max(clock.GetUtcNow().UtcTicks, Server.Epoch + 1);
            await state.WriteStateAsync(cancellationToken);
        }

        logger.LogInformation("Server {ServerId} is active here with {Peers} peers in {Containers} containers", Id, containers.PeerCount, containers.All.Count());

        // Interleaved: the audit only asks, so a session that is slow to answer holds up no connect;
        // removals go through this grain's own queue like any other call.
        this.RegisterGrainTimer(AuditPeers, new GrainTimerCreationOptions(options.Value.PeerAuditPeriod, options.Value.PeerAuditPeriod) { Interleave = true });
        this.RegisterGrainTimer(ScanSessions, new GrainTimerCreationOptions(sessionOptions.Value.CheckPeriod, sessionOptions.Value.CheckPeriod));
        // Interleaved, as the alive signals are: a call that waits on the node holds up no judgement of it.
        var livenessCheck = NodeLiveness.CheckPeriodFor(options.Value.NodeDownAfter);
        this.RegisterGrainTimer(CheckLiveness, new GrainTimerCreationOptions(livenessCheck, livenessCheck) { Interleave = true });
        var lingerCheck = TimeSpan.FromTicks(Math.Clamp(options.Value.ContainerLinger.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
        this.RegisterGrainTimer(RemoveLingeredContainers, new GrainTimerCreationOptions(lingerCheck, lingerCheck));
    }

    private bool IsConnected => Server.Agent is not null && !liveness.IsDown;

    /// <summary>
    /// Judges whether the node is alive (<see cref="NodeLiveness"/>); when it has just gone down, its
    /// sessions start to move. Tells the directory the server's load and liveness each time, so that
    /// placement follows within a check.
    /// </summary>
    private Task CheckLiveness(CancellationToken cancellationToken)
    {
        if (liveness.Check())
        {
            logger.LogWarning("Server {ServerId}: its node is down, not heard from since {LastSeen}; its {Sessions} sessions move to other servers",
                Id, lastSeen, containers.PeerCount);
            downs.CalledDown(Id);
            MoveSessionsAway();
        }

        return ReportLoad();
    }

    /// <summary>
    /// Asks each session of the server to check now, which moves it while the node is down, at most
    /// <see cref="PlacementOptions.NodeDownMovesPerSecond"/> a second; stops when the node is heard again.
    /// </summary>
    private void MoveSessionsAway()
    {
        if (movingAway is null or { IsCompleted: true })
        {
            movingAway = AskSessionsToMove();
        }
    }

    private async Task AskSessionsToMove()
    {
        var sessions = containers.All.SelectMany(container => container.Value.Peers.Keys).ToList();
        var perSecond = Math.Max(1, options.Value.NodeDownMovesPerSecond);
        for (var asked = 0; asked < sessions.Count && liveness.IsDown; asked++)
        {
            if (asked > 0 && asked % perSecond == 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), clock);
            }

            await GrainFactory.GetGrain<ISessionGrain>(sessions[asked]).Check();
        }
    }

    private DesiredNodeState Desired() => new(Id, [.. containers.All.Select(c => DesiredOf(c.Key, c.Value))], Revision, Server.GroupDns?.Stamp, Server.Epoch);

    private DesiredContainer DesiredOf(string user, UserContainer container) =>
        new(user, [.. container.Peers.Values.Select(p => new DesiredPeer(p.PublicKey, p.Address, BandwidthLimit.Of(p.Limit, Server.GroupLimit)))]);

    /// <summary>Pushes a change whose desired state is written already: a node that misses it converges on its next reconcile.</summary>
    private async Task PushWritten(string change, string? user = null)
    {
        if (IsConnected && !agentSilent && await Converge(user, options.Value.NodeCallTimeout) is { } failure)
        {
            logger.LogWarning("Server {ServerId} did not converge after {Change}: {Failure}", Id, change, failure);
        }
    }

    /// <summary>
    /// Pushes the desired state to the node: with a user, only that user's container, just written
    /// as one revision more (the whole state when the node does not hold the revision before).
    /// </summary>
    /// <returns>null when the node now runs <paramref name="user"/>'s container (with no user: every container) as desired, else what went wrong.</returns>
    private async Task<string?> Converge(string? user, TimeSpan timeout)
    {
        NodeActualState actual;
        try
        {
            var agent = Server.Agent!;
            var changed = user is null
                ? null
                : await Pushed(() => agent.ConvergeChange(
                    new DesiredNodeChange(Revision - 1, Revision, user, containers.Find(user) is { } container ? DesiredOf(user, container) : null, Server.Epoch)), timeout);
            actual = changed ?? await Pushed(() => agent.Converge(Desired()), timeout);
            Apply(actual, changed is null ? null : user);
        }
        catch (Exception exception)
        {
            // A rejection costs no time, so it does not stop the next connect from trying.
            agentSilent = exception is TimeoutException or ClientNotAvailableException;
            logger.LogWarning(exception, "Node of server {ServerId} failed to converge", Id);
            return $"its node failed: {exception.GetType().Name}: {exception.Message}";
        }

        return actual.Failures.FirstOrDefault(f => user is null || f.User == user) is { } failure ? $"the container of {failure.User} failed: {failure.Detail}" : null;
    }

    /// <summary>
    /// Sends a push again when a silo rejected it unsent: the gateway it went through has just died,
    /// and Orleans picks one of the node's gateways anew for each message.
    /// </summary>
    private async Task<T> Pushed<T>(Func<Task<T>> push, TimeSpan timeout)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await push().WaitAsync(timeout);
            }
            catch (OrleansMessageRejectionException exception) when (attempt < MaxPushAttempts)
            {
                logger.LogInformation("Server {ServerId} pushes again: {Reason}", Id, exception.Message);
            }
        }
    }

    /// <summary>
    /// Takes the interfaces' keys and ports, and the peers' activity, from what the node runs (of
    /// <paramref name="user"/>'s container only, when given); of a container that failed this time, what was known before stays.
    /// </summary>
    private void Apply(NodeActualState actual, string? user = null)
    {
        var failed = actual.Failures.Select(f => f.User).ToHashSet();
        if (failed.Count > 0)
        {
            logger.LogWarning("Node of server {ServerId} could not converge the containers of {Users}", Id, string.Join(", ", failed));
        }

        var kept = interfaces.Values.Where(c => failed.Contains(c.User) || (user is not null && c.User != user)).ToList();
        // Only the containers and peers the server wants are taken, so a node cannot grow the server's
        // memory with made-up ones; and a key or port that is not one goes into no client's config.
        var running = actual.Containers
            .Where(c => !failed.Contains(c.User) && WireGuardKey.IsValid(c.PublicKey) && c.ListenPort is > 0 and <= 65535)
            .Select(c => containers.Find(c.User) is { } wanted
                ? c with { Peers = [.. c.Peers.Where(p => wanted.Peers.Values.Any(peer => peer.PublicKey == p.PublicKey))] }
                : null)
            .OfType<ActualContainer>()
            .Concat(kept).ToList();
        reported = running.SelectMany(c => c.Peers).DistinctBy(p => p.PublicKey).ToDictionary(p => p.PublicKey);
        interfaces = running.ToDictionary(c => c.User);
        if (user is null)
        {
            // Only a whole report tells every peer's activity.
            reportedAt = clock.GetUtcNow();
        }
    }

    private Task ReportLoad() => GrainFactory.GetGrain<IServerDirectoryGrain>(0).Report(new ServerSummary(
        Id, Server.Effective!.Group, Server.Effective.Capacity, containers.PeerCount,
        Server.Draining || Server.Certificates.RevokedAt is not null || Server.Agent is null || liveness.IsDown, lastSeen ?? activatedAt));

    /// <summary>
    /// Tells the sessions that should end or move to check now: idle by what the node reported, or
    /// past their lifetime; while the node is down, every one, a few a second (the move begun when it
    /// went down, again for those that could not move then). In memory, so a server's sessions cost no
    /// write and no message while they are in use; each session's own reminder is the backstop.
    /// </summary>
    private async Task ScanSessions(CancellationToken cancellationToken)
    {
        if (liveness.IsDown)
        {
            MoveSessionsAway();
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var (sessionId, peer) in containers.All.SelectMany(container => container.Value.Peers))
        {
            var activity = reported.GetValueOrDefault(peer.PublicKey)?.LastActivity;
            if (PeerScan.NeedsCheck(peer, activity, reportedAt is not null, now, sessionOptions.Value.IdleTimeout))
            {
                await GrainFactory.GetGrain<ISessionGrain>(sessionId).Check();
            }
        }
    }

    /// <summary>Removes the containers whose users have had no session here for Placement:ContainerLinger.</summary>
    private async Task RemoveLingeredContainers(CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow() - options.Value.ContainerLinger;
        var lingered = containers.All.Where(c => c.Value.Peers.Count == 0 && !(c.Value.EmptySince > until)).Select(c => c.Key).ToList();
        if (lingered.Count == 0)
        {
            return;
        }

        foreach (var user in lingered)
        {
            containers.Remove(user);
        }

        await containers.WriteAsync(lingered);
        logger.LogInformation("Server {ServerId} removes the lingering containers of {Users}", Id, string.Join(", ", lingered));
        await PushWritten("removing lingering containers");
    }

    /// <summary>
    /// Removes peers that no live session of this server owns: a session that ended, that never
    /// started, or that is active elsewhere (a peer made by a call whose answer was lost).
    /// </summary>
    private async Task AuditPeers(CancellationToken cancellationToken)
    {
        var sessionIds = containers.All.SelectMany(c => c.Value.Peers.Keys).ToList();
        var owned = await Task.WhenAll(sessionIds.Select(IsOwned));
        var self = this.AsReference<IServerGrain>();
        foreach (var sessionId in sessionIds.Where((_, index) => !owned[index]))
        {
            // Asked again in the grain's own turn: the session may have started again since.
            await self.RemoveOrphanPeer(sessionId);
        }
    }

    /// <returns>false only when the session says the peer is not its own; a session that does not answer in time keeps it until the next audit.</returns>
    private async Task<bool> IsOwned(Guid sessionId)
    {
        try
        {
            var session = await GrainFactory.GetGrain<ISessionGrain>(sessionId).Describe().WaitAsync(options.Value.NodeCallTimeout);
            return PeerOwnership.IsOwned(session, Id);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Server {ServerId} could not ask session {SessionId} about its peer; the next audit asks again", Id, sessionId);
            return true;
        }
    }

    /// <returns>A refusal when the session's address is outside the pool or another peer's in the user's container; else null.</returns>
    private static PeerResult? AddressRefusal(NodeRegistration registration, UserContainer container, PeerRequest request) =>
        new TunnelAddressPool(registration.TunnelPool).Contains(request.Address)
        && !container.Peers.Any(peer => peer.Key != request.SessionId && peer.Value.Address == request.Address)
            ? null
            : PeerResult.Refused(PeerRefusal.AddressUnusable, $"address {request.Address} is outside its tunnel pool {registration.TunnelPool} or another peer's");

    private (string User, UserContainer Container, SessionPeer Peer)? FindPeer(Guid sessionId)
    {
        foreach (var (user, container) in containers.All)
        {
            if (container.Peers.TryGetValue(sessionId, out var peer))
            {
                return (user, container, peer);
            }
        }

        return null;
    }

    private PeerResult Grant(NodeRegistration registration, string user, SessionPeer peer) =>
        interfaces.TryGetValue(user, out var running) && running.ListenPort > 0
            ? PeerResult.Granted(new PeerGrant($"{registration.PublicAddress}:{running.ListenPort}", peer.Address, running.PublicKey,
                BandwidthLimit.Of(peer.Limit, Server.GroupLimit), new TunnelAddressPool(registration.TunnelPool).InterfaceAddress, Server.GroupDns))
            : PeerResult.Refused(PeerRefusal.NodeFailed, "its node did not report the interface of the user's container");
}
