using System.ComponentModel.DataAnnotations;

namespace OrleansWg.Grains.Dns;

/// <summary>The cluster default DNS policy's settings, until an admin gives the cluster default a policy of its own.</summary>
public sealed class DnsOptions : IValidatableObject
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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UpstreamList.All(DnsNames.IsAddress))
        {
            yield return new ValidationResult("Dns:Upstreams must be IP addresses, separated by commas", [nameof(Upstreams)]);
        }
    }

    public DnsPolicy ToPolicy() => DnsPolicy.Empty with { Upstreams = UpstreamList, Dnssec = Dnssec };
}
