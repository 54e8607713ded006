using System.Net;
using Microsoft.Extensions.Logging;
using OrleansWg.Grains.Sessions;

namespace OrleansWg.Grains.Servers;

/// <summary>
/// One server and its node: what the admin made it, the node's registration and heartbeats, its
/// activation, and its load as the directory sees it. Its other parts: the book of peers
/// (ServerGrain.Peers.cs), the link to the node (NodeLink), the node's liveness (Liveness), its
/// group's settings (Group), the node's identity (Enrollment) and its periodic work (Scans).
/// </summary>
public sealed partial class ServerGrain(
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
    private readonly DateTimeOffset activatedAt = clock.GetUtcNow();
    private readonly ContainerShards containers = new(stateFactory, grainContext);
    private readonly HeartbeatBudget heartbeats = new(options.Value.HeartbeatBurst, options.Value.HeartbeatsPerSecond);

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
            || !Names.IsValid(registration.Group) || registration.WireGuard is not (null or "kernel" or "userspace"))
        {
            throw new ArgumentException(
                $"registration of {Id} has an empty port range, a negative capacity, a public address that is not an IP address, a bad group or an unknown WireGuard");
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

    public Task<ServerView?> Describe() => Task.FromResult(Server.Effective is { } registration
        ? new ServerView(Id, registration, Server.Draining, IsConnected, lastSeen,
            [.. containers.All.SelectMany(c => c.Value.Peers.Where(p => !IsBeingAdded(p.Key)).Select(p =>
                new PeerView(p.Key, c.Key, p.Value.Address, reported.GetValueOrDefault(p.Value.PublicKey))))],
            Server.Certificates.LiveUntil(clock.GetUtcNow()), Server.Certificates.RevokedAt)
        : null);

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

    private Task ReportLoad() => GrainFactory.GetGrain<IServerDirectoryGrain>(0).Report(new ServerSummary(
        Id, Server.Effective!.Group, Server.Effective.Capacity, containers.PeerCount,
        Server.Draining || Server.Certificates.RevokedAt is not null || Server.Agent is null || liveness.IsDown, lastSeen ?? activatedAt));
}
