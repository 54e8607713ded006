namespace OrleansWg.Grains.Dns;

/// <summary>The cluster default DNS policy's settings, until an admin gives the cluster default a policy of its own.</summary>
public sealed class DnsOptions
{
    public const string Section = "Dns";

    /// <summary>
    /// Comma-separated IP addresses the nodes' resolvers forward queries to when a group names none.
    /// Empty: the resolvers resolve from the root servers themselves, asking no third party.
    /// </summary>
    public string Upstreams { get; set; } = "";

    /// <summary>Whether the resolvers validate DNSSEC by default.</summary>
    public bool Dnssec { get; set; } = true;

    public ImmutableArray<string> UpstreamList => [.. Upstreams.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public bool IsValid => UpstreamList.All(DnsNames.IsAddress);

    public DnsPolicy ToPolicy() => DnsPolicy.Empty with { Upstreams = UpstreamList, Dnssec = Dnssec };
}
