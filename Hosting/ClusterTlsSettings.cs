using System.ComponentModel.DataAnnotations;

namespace OrleansWg.Hosting;

/// <summary>
/// Where this process's cluster identity lives (PEM files and a credential, as scripts/lib/pki.sh
/// makes them); <see cref="ClusterIdentity"/> refuses to start without any of them.
/// </summary>
public sealed class ClusterTlsSettings
{
    /// <summary>The cluster CA's certificate.</summary>
    [Required]
    public string Authority { get; set; } = "";

    [Required]
    public string Certificate { get; set; } = "";

    [Required]
    public string Key { get; set; } = "";

    [Required]
    public string Credential { get; set; } = "";
}
