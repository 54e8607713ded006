using System.Security.Cryptography;
using System.Text;

namespace OrleansWg;

/// <summary>
/// What the resolver of a group's nodes does for the group's users, and what their clients send
/// into the tunnel. A group without a policy of its own has the cluster default.
/// </summary>
/// <param name="Upstreams">IP addresses the resolver forwards to; empty: the cluster default's (and where that is empty, recursion from the root servers).</param>
/// <param name="Dnssec">Whether the resolver validates DNSSEC: answers that fail validation become SERVFAIL.</param>
/// <param name="SearchDomains">The client's search list.</param>
/// <param name="Blocked">Names answered NXDOMAIN, each with its subdomains.</param>
/// <param name="Allowed">Exceptions to <paramref name="Blocked"/> and <paramref name="Blocklist"/>: these names, with their subdomains, resolve.</param>
/// <param name="Routes">CIDRs the clients send into the tunnel; empty: everything (a full tunnel, IPv4 and IPv6).</param>
/// <param name="Blocklist">Names imported from a blocklist file, blocked like <paramref name="Blocked"/>.</param>
/// <param name="QueryLogDays">How many days the group's nodes keep a log of its users' queries; 0: they log none.</param>
[GenerateSerializer, Immutable, Alias("owg.DnsPolicy")]
public sealed record DnsPolicy(
    ImmutableArray<string> Upstreams,
    bool Dnssec,
    ImmutableArray<string> SearchDomains,
    ImmutableArray<string> Blocked,
    ImmutableArray<string> Allowed,
    ImmutableArray<string> Routes,
    ImmutableArray<string> Blocklist,
    int QueryLogDays = 0)
{
    public const int MaxQueryLogDays = 90;

    public static readonly DnsPolicy Empty = new([], true, [], [], [], [], []);

    /// <summary>
    /// Names the policy by its content: a node applies a policy again only when this changes, and
    /// the same content from the group or the cluster default is the same policy.
    /// </summary>
    public string Stamp()
    {
        var text = new StringBuilder().Append(Dnssec).Append(' ').Append(QueryLogDays).Append('\n');
        foreach (var list in new[] { Upstreams, SearchDomains, Blocked, Allowed, Routes, Blocklist })
        {
            text.AppendJoin(',', list.IsDefault ? [] : list).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>This policy with the default's upstreams where it names none of its own.</summary>
    public DnsPolicy Over(DnsPolicy clusterDefault) =>
        Upstreams.IsDefaultOrEmpty ? this with { Upstreams = clusterDefault.Upstreams } : this;

    public override string ToString() =>
        $"DnsPolicy {{ Upstreams = [{string.Join(", ", Upstreams)}], Dnssec = {Dnssec}, Blocked = {Blocked.Length}, Allowed = {Allowed.Length}, Routes = [{string.Join(", ", Routes)}], Blocklist = {Blocklist.Length}, QueryLogDays = {QueryLogDays} }}";
}

/// <summary>The policy a group's nodes apply, named by its <see cref="DnsPolicy.Stamp"/>.</summary>
/// <param name="Inherited">The group has no policy of its own: this is the cluster default.</param>
/// <param name="Group">The group it applies to (<see cref="IServerGroupGrain.ClusterDefault"/> for the default itself).</param>
/// <param name="UpstreamsInherited">The policy names no upstreams of its own: those in <paramref name="Policy"/> are the cluster default's (or the settings').</param>
[GenerateSerializer, Immutable, Alias("owg.GroupDns")]
public sealed record GroupDns(DnsPolicy Policy, string Stamp, bool Inherited, string Group, bool UpstreamsInherited)
{
    public SessionDns ForSessions => new(Stamp, Policy.SearchDomains, Policy.Routes);
}

/// <summary>What a session's client needs of its group's policy, without the lists only the resolver needs.</summary>
[GenerateSerializer, Immutable, Alias("owg.SessionDns")]
public sealed record SessionDns(string Stamp, ImmutableArray<string> SearchDomains, ImmutableArray<string> Routes);
