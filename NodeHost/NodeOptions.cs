using System.ComponentModel.DataAnnotations;

namespace OrleansWg.NodeHost;

/// <summary>What this node is, as it registers with its server grain.</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    [Required, RegularExpression("^[a-z0-9][a-z0-9_-]{0,31}$")]
    public string ServerId { get; set; } = "";

    /// <summary>The address clients reach this node's UDP ports on.</summary>
    [Required]
    public string PublicAddress { get; set; } = "";

    [Range(0, 100_000)]
    public int Capacity { get; set; } = 100;

    [Range(1, 65535)]
    public int PortMin { get; set; } = 51000;

    [Range(1, 65535)]
    public int PortMax { get; set; } = 51999;

    public string TunnelPool { get; set; } = "100.64.0.0/16";

    public string Group { get; set; } = ServerPermissions.GenericGroup;

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    public NodeRegistration ToRegistration() => new(PublicAddress, Capacity, PortMin, PortMax, TunnelPool, Group);
}
