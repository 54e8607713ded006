using System.Collections.Immutable;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Dns;

/// <summary>A group's DNS policy as an admin writes it; a list left out is empty, and <paramref name="Dnssec"/> left out is on.</summary>
/// <param name="Upstreams">IP addresses to forward to; empty: the cluster default's.</param>
/// <param name="Blocked">Names answered NXDOMAIN, each with its subdomains.</param>
/// <param name="Allowed">Exceptions to the blocked names, each with its subdomains.</param>
/// <param name="Routes">CIDRs the clients send into the tunnel; empty: everything.</param>
/// <param name="QueryLogDays">Days the nodes keep a log of the group's queries; left out or 0: no log.</param>
public sealed record DnsPolicyBody(
    string[]? Upstreams, bool? Dnssec, string[]? SearchDomains, string[]? Blocked, string[]? Allowed, string[]? Routes, int? QueryLogDays) : IValidatable
{
    public const int MaxUpstreams = 8;

    // glibc reads at most six search domains.
    public const int MaxSearchDomains = 6;
    public const int MaxNames = 10_000;
    public const int MaxRoutes = 100;

    /// <summary>The body's limit: ten thousand names of the longest kind in each list.</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    public Validation Validate() => new Validation()
        .Check(Upstreams is null || (Upstreams.Length <= MaxUpstreams && Upstreams.All(DnsNames.IsAddress)), "upstreams", $"at most {MaxUpstreams} IP addresses")
        .Check(Fits(SearchDomains, MaxSearchDomains, DnsNames.Normalize), "searchDomains", $"at most {MaxSearchDomains} domain names")
        .Check(Fits(Blocked, MaxNames, DnsNames.Normalize), "blocked", $"at most {MaxNames} domain names")
        .Check(Fits(Allowed, MaxNames, DnsNames.Normalize), "allowed", $"at most {MaxNames} domain names")
        .Check(Fits(Routes, MaxRoutes, DnsNames.NormalizeCidr), "routes", $"at most {MaxRoutes} CIDRs, each its network's own address (198.18.0.0/15, 2001:2::/48)")
        .Check(QueryLogDays is null or (>= 0 and <= DnsPolicy.MaxQueryLogDays), "queryLogDays", $"from 0 (no log) to {DnsPolicy.MaxQueryLogDays} days");

    public DnsPolicy ToPolicy() => new(
        [.. Upstreams ?? []], Dnssec ?? true, Normal(SearchDomains, DnsNames.Normalize), Normal(Blocked, DnsNames.Normalize),
        Normal(Allowed, DnsNames.Normalize), Normal(Routes, DnsNames.NormalizeCidr), [], QueryLogDays ?? 0);

    private static bool Fits(string[]? values, int most, Func<string?, string?> normalize) =>
        values is null || (values.Length <= most && values.All(value => normalize(value) is not null));

    private static ImmutableArray<string> Normal(string[]? values, Func<string?, string?> normalize) =>
        [.. (values ?? []).Select(value => normalize(value)!).Distinct()];
}

/// <summary>A group's DNS policy as it applies.</summary>
/// <param name="Upstreams">The policy's own upstreams, as an admin set them: empty when it takes the cluster default's.</param>
/// <param name="UpstreamsInUse">The upstreams its resolvers forward to: its own, else the cluster default's (or, empty, recursion).</param>
/// <param name="Inherited">The group has no policy of its own: this is the cluster default.</param>
/// <param name="BlocklistSize">How many names the imported blocklist holds.</param>
/// <param name="Stamp">Names this policy's content: the nodes of the group apply it when theirs differs.</param>
public sealed record DnsPolicyResponse(
    string[] Upstreams, string[] UpstreamsInUse, bool Dnssec, string[] SearchDomains, string[] Blocked, string[] Allowed, string[] Routes, int QueryLogDays,
    int BlocklistSize, bool Inherited, string Stamp)
{
    public static DnsPolicyResponse From(GroupDns dns) => new(
        dns.UpstreamsInherited ? [] : [.. dns.Policy.Upstreams], [.. dns.Policy.Upstreams], dns.Policy.Dnssec, [.. dns.Policy.SearchDomains], [.. dns.Policy.Blocked], [.. dns.Policy.Allowed],
        [.. dns.Policy.Routes], dns.Policy.QueryLogDays, dns.Policy.Blocklist.Length, dns.Inherited, dns.Stamp);
}
