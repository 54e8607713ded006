namespace OrleansWg.Hosting;

/// <summary>Where this process's cluster identity lives (PEM files and a credential, as scripts/lib/pki.sh makes them).</summary>
public sealed class ClusterTlsSettings
{
    /// <summary>The cluster CA's certificate.</summary>
    public string Authority { get; set; } = "";

    public string Certificate { get; set; } = "";

    public string Key { get; set; } = "";

    public string Credential { get; set; } = "";
}
