namespace OrleansWg;

/// <summary>How a group's users must log in.</summary>
/// <param name="RequiresMfa">Its users connect with a one-time code (MFA) beside their password.</param>
/// <param name="RequiresSso">Its users log in by single sign-on: a password does not connect them.</param>
[GenerateSerializer, Immutable, Alias("owg.GroupLoginPolicy")]
public sealed record GroupLoginPolicy(bool RequiresMfa, bool RequiresSso);

/// <summary>
/// A group of servers, keyed by its name: the bandwidth limit of sessions on its servers whose user
/// has none of their own, the DNS policy of its servers' users, and whether its users need MFA or single sign-on. The key
/// <see cref="ClusterDefault"/> holds the cluster's default DNS policy.
/// </summary>
[Alias("owg.IServerGroupGrain")]
[Version(1)]
public interface IServerGroupGrain : IGrainWithStringKey
{
    /// <summary>The key of the cluster default: not a group name, so no group can take it.</summary>
    public const string ClusterDefault = "*";

    /// <summary>A read that may interleave: a server asks it when the group tells it of a change, while the group waits on that server.</summary>
    [Alias("GetLimit"), AlwaysInterleave] Task<BandwidthLimit?> GetLimit();

    /// <summary>Sets the group's limit (null: none) and has the group's servers apply it to their live sessions.</summary>
    [Alias("SetLimit")] Task SetLimit(BandwidthLimit? limit);

    /// <summary>The DNS policy in force for the group: its own, else the cluster default. A read that may interleave, like <see cref="GetLimit"/>.</summary>
    [Alias("GetDns"), AlwaysInterleave] Task<GroupDns> GetDns();

    /// <summary>What sessions need of <see cref="GetDns"/>, without the lists only a resolver needs: what a server keeps and checks now and then.</summary>
    [Alias("GetSessionDns"), AlwaysInterleave] Task<SessionDns> GetSessionDns();

    /// <summary>
    /// Sets the group's own DNS policy, keeping its imported blocklist (null: the cluster default
    /// applies, and the blocklist goes), and has the servers it concerns (the group's; every
    /// server's, for the cluster default) apply it.
    /// </summary>
    [Alias("SetDns")] Task SetDns(DnsPolicy? policy);

    /// <summary>Replaces the imported blocklist of the group's own policy (made from an empty one when it has none), and applies it as <see cref="SetDns"/> does.</summary>
    [Alias("SetBlocklist")] Task SetBlocklist(ImmutableArray<string> names);

    /// <summary>How users permitted on the group must log in. A read that may interleave, like <see cref="GetLimit"/>.</summary>
    [Alias("GetLoginPolicy"), AlwaysInterleave] Task<GroupLoginPolicy> GetLoginPolicy();

    /// <summary>Whether users permitted on the group must connect with a one-time code (MFA).</summary>
    [Alias("SetRequiresMfa")] Task SetRequiresMfa(bool required);

    /// <summary>Whether users permitted on the group must log in by single sign-on (a password does not connect them).</summary>
    [Alias("SetRequiresSso")] Task SetRequiresSso(bool required);
}
