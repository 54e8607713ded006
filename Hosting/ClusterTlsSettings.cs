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

    /// <summary>
    /// The node CA's certificate (silos only): the CA that signs enrolled nodes' certificates, which
    /// the cluster's CA signed. Silos need it to know enrolled nodes; nothing else accepts a node.
    /// </summary>
    public string NodeAuthority { get; set; } = "";

    /// <summary>The node CA's private key (silos only): with it a silo issues nodes their certificates when they enroll.</summary>
    public string NodeAuthorityKey { get; set; } = "";
}
