namespace OrleansWg.Grains.Sessions;

[GenerateSerializer, Alias("owg.SessionState")]
public sealed record SessionState
{
    /// <summary>Null until the session is started.</summary>
    [Id(0)] public string? User { get; set; }

    [Id(1)] public string ClientPublicKey { get; set; } = "";

    /// <summary>Of the token the newest start handed out.</summary>
    [Id(2)] public string TokenHash { get; set; } = "";

    [Id(3)] public SessionStatus Status { get; set; }

    /// <summary>Servers asked for a peer, each written before it is asked; the one that granted it is <see cref="ServerId"/>.</summary>
    [Id(4)] public List<string> ServersTried { get; set; } = [];

    [Id(5)] public string? ServerId { get; set; }

    [Id(6)] public string? Address { get; set; }

    [Id(7)] public DateTimeOffset CreatedAt { get; set; }

    [Id(8)] public DateTimeOffset ExpiresAt { get; set; }

    [Id(9)] public DateTimeOffset? LastCheckedAt { get; set; }

    [Id(10)] public CloseReason? CloseReason { get; set; }

    /// <summary>The latest handshake or received traffic of the session's peer that any check has seen.</summary>
    [Id(11)] public DateTimeOffset? LastActivity { get; set; }

    /// <summary>Why the last start found no server, server by server: for admins, never for the client.</summary>
    [Id(12)] public string? FailureCause { get; set; }

    /// <summary>host:port of the interface the session's peer is on, as the client's config names it.</summary>
    [Id(13)] public string? Endpoint { get; set; }

    [Id(14)] public string? ServerPublicKey { get; set; }

    /// <summary>Of the client's config: 1 once started, one more with every move.</summary>
    [Id(15)] public long Revision { get; set; }

    [Id(16)] public List<SessionMove> Moves { get; set; } = [];

    /// <summary>The user's own bandwidth limit, which the session takes to every server it is on.</summary>
    [Id(17)] public BandwidthLimit? UserLimit { get; set; }

    /// <summary>The limit its server enforces: the user's, else the server group's.</summary>
    [Id(18)] public BandwidthLimit? Limit { get; set; }

    /// <summary>When it ended: its state is deleted Sessions:ClosedRetention later.</summary>
    [Id(19)] public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Of the tokens the starts before the newest handed out, newest first: they stay valid (see <see cref="SessionToken"/>).</summary>
    [Id(20)] public List<string> EarlierTokenHashes { get; set; } = [];

    /// <summary>The resolvers, search domains and routes its client was given, from its server's group.</summary>
    [Id(21)] public List<string> Dns { get; set; } = [];

    [Id(22)] public List<string> SearchDomains { get; set; } = [];

    [Id(23)] public string? AllowedIps { get; set; }

    public bool Ended => Status is SessionStatus.Closed or SessionStatus.Failed;

    /// <summary>The start failed (or was cut off): closed or still closing, nothing was handed out, it may start again.</summary>
    public bool StartFailed => CloseReason == OrleansWg.CloseReason.StartFailed;
}
