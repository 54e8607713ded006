using System.ComponentModel.DataAnnotations;
using System.Net;

namespace OrleansWg.Silo;

/// <summary>Where this silo listens; read before the silo is built, so checked as it is read.</summary>
public sealed class SiloSettings : IValidatableObject
{
    public const string Section = "Silo";

    /// <summary>The address other silos and clients reach this silo on.</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Whether the silo applies the schema as it starts, with its own login: for a database it owns
    /// (the tests'). An installation with least-privilege roles runs <c>install-schema</c> instead.
    /// </summary>
    public bool ApplySchema { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return new ValidationResult($"Silo:AdvertisedAddress ('{AdvertisedAddress}') must be an IP address", [nameof(AdvertisedAddress)]);
        }

        if (SiloPort == GatewayPort)
        {
            yield return new ValidationResult($"Silo:SiloPort and Silo:GatewayPort must differ (both {SiloPort})", [nameof(SiloPort), nameof(GatewayPort)]);
        }
    }
}
