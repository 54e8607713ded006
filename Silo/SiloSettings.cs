namespace OrleansWg.Silo;

public sealed class SiloSettings
{
    public const string Section = "Silo";

    /// <summary>The address other silos and clients reach this silo on.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Whether the silo applies the schema as it starts, with its own login: for a database it owns
    /// (the tests'). An installation with least-privilege roles runs <c>install-schema</c> instead.
    /// </summary>
    public bool ApplySchema { get; set; } = true;
}
