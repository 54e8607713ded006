using System.ComponentModel.DataAnnotations;

namespace OrleansWg.NodeHost;

/// <summary>What this node is, as it registers with its server grain, and where it runs its containers.</summary>
public sealed class NodeOptions : IValidatableObject
{
    public const string Section = "Node";

    [Required, RegularExpression(Names.Pattern)]
    public string ServerId { get; set; } = "";

    /// <summary>The address clients reach this node's UDP ports on; it must be an address of this host.</summary>
    [Required]
    public string PublicAddress { get; set; } = "";

    [Range(0, 100_000)]
    public int Capacity { get; set; } = 100;

    [Range(1, 65535)]
    public int PortMin { get; set; } = 51000;

    [Range(1, 65535)]
    public int PortMax { get; set; } = 52999;

    /// <summary>Every container's interface is its first address with its prefix: it must hold the cluster's Users:TunnelPool.</summary>
    public string TunnelPool { get; set; } = "100.64.0.0/10";

    public string Group { get; set; } = ServerPermissions.GenericGroup;

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the node tells its server grain it is alive, beside its heartbeats: a signal with no
    /// state, by which the server calls the node down after <c>Placement:NodeDownAfter</c> without one.
    /// </summary>
    [Positive]
    public TimeSpan AliveInterval { get; set; } = NodeAliveSignals.DefaultInterval;

    /// <summary>
    /// How often a heartbeat's desired state is reconciled: Docker's containers and every interface
    /// read afresh (with the peers' activity), and what changed behind the node's back mended. Its
    /// cost grows with the containers (a second of dockerd's and the node's CPU at a thousand); the
    /// heartbeats between hand over what the node last knew.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one heartbeat waits for its server grain. A call in flight on the connection to a
    /// silo that died is never answered: past this the next heartbeat goes through a live silo.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public string DockerEndpoint { get; set; } = "unix:///var/run/docker.sock";

    /// <summary>How long one Docker Engine API call may take: a hung dockerd fails a convergence, not the node.</summary>
    [Positive]
    public TimeSpan DockerTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a user's container must stay stopped before the node starts it again: one that
    /// <c>docker restart</c> is restarting comes back by itself, and the node gives its interface
    /// its key and peers back.
    /// </summary>
    public TimeSpan StoppedContainerGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one request on an interface's UAPI socket may take: a frozen container fails only its user.</summary>
    [Positive]
    public TimeSpan InterfaceTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public string Image { get; set; } = "owg/session";

    /// <summary>
    /// Which WireGuard runs the containers' interfaces: Auto (the kernel's where the host has it and
    /// the node may use it, else wireguard-go), Kernel or Userspace (either, or the node does not start).
    /// </summary>
    public WireGuard.WireGuardMode WireGuard { get; set; } = OrleansWg.NodeHost.WireGuard.WireGuardMode.Auto;

    /// <summary>
    /// The cpu cgroup, marked idle, that each container's containerd shim is moved into (under
    /// /sys/fs/cgroup/cpu with cgroup v1, /sys/fs/cgroup with v2; shared by a host's nodes); empty: the shims stay where containerd puts them.
    /// </summary>
    public string ShimCgroup { get; set; } = "orleanswg-shims";

    /// <summary>
    /// Where the node's users may not go through their tunnels, as comma-separated CIDRs, besides the
    /// host itself and link-local addresses, which are always fenced off: by default every private
    /// range. Setting it replaces the list.
    /// </summary>
    public string BlockedDestinations { get; set; } = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10";

    public IEnumerable<string> BlockedRanges => BlockedDestinations.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The subnet of the node's Docker network, which its containers NAT through: an address for each container.</summary>
    public string ContainerSubnet { get; set; } = "198.18.64.0/20";

    /// <summary>
    /// The node's resolver (unbound), which the node runs and configures from its group's DNS policy;
    /// empty: no resolver, and the node's users resolve no names.
    /// </summary>
    public string Resolver { get; set; } = "unbound";

    public string ResolverControl { get; set; } = "unbound-control";

    /// <summary>The DNSSEC root trust anchor the resolver starts from (Debian's dns-root-data).</summary>
    public string TrustAnchor { get; set; } = "/usr/share/dns/root.key";

    /// <summary>The most DNS queries a second one user's container gets answered: one user cannot starve the others, nor use the resolver to amplify.</summary>
    [Range(1, 100_000)]
    public int DnsQueriesPerSecond { get; set; } = 100;

    /// <summary>The resolver's message cache, in MiB; its record cache is twice as large.</summary>
    [Range(1, 4096)]
    public int ResolverCacheMegabytes { get; set; } = 16;

    /// <summary>Where the resolver listens: the first address of <see cref="ContainerSubnet"/>, the Docker bridge's own.</summary>
    public string ResolverAddress => FirstHost(ContainerSubnet).ToString();

    /// <summary>The address after a network's own: a bridge's gateway, an interface's first host.</summary>
    public static System.Net.IPAddress FirstHost(string cidr)
    {
        var bytes = System.Net.IPNetwork.Parse(cidr).BaseAddress.GetAddressBytes();
        bytes[^1]++;
        return new System.Net.IPAddress(bytes);
    }

    /// <summary>Where each container's UAPI socket directory lives on the host, and the node's enrolled identity (<c>SERVER.identity/</c>).</summary>
    public string StateDirectory { get; set; } = "/var/lib/orleanswg/nodes";

    /// <summary>
    /// A join token an admin got for this server (POST /v1/admin/servers/{id}/join-token), from a
    /// secret file: a node with no identity of its own yet enrolls with it at start.
    /// </summary>
    public string JoinToken { get; set; } = "";

    /// <summary>The Gateway's HTTPS address a node enrolls through (https://host:port).</summary>
    public string EnrollUrl { get; set; } = "";

    /// <summary>The Gateway's certificate (or its CA's) to trust for enrollment, as a PEM file; empty: the system's trusted CAs.</summary>
    public string GatewayCertificate { get; set; } = "";

    /// <summary>The most processes one session container may run (wireguard-go and its entrypoint need a handful).</summary>
    [Range(8, 4096)]
    public int ContainerPidsLimit { get; set; } = 64;

    /// <summary>The memory one session container may use, in MiB.</summary>
    [Range(16, 65536)]
    public int ContainerMemoryMegabytes { get; set; } = 128;

    /// <summary>Ready containers (interface up, no peers) kept for the next new user, at the least.</summary>
    [Range(0, 100)]
    public int WarmPoolSize { get; set; } = 2;

    /// <summary>
    /// The most ready containers kept: the pool holds <see cref="WarmPoolSize"/> more than the new
    /// users of the last <see cref="WarmPoolDemandWindow"/>, up to this, and starts them side by side.
    /// </summary>
    [Range(0, 1000)]
    public int WarmPoolMax { get; set; } = 32;

    public TimeSpan WarmPoolDemandWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a refill waits after a claim: a container start takes the CPU for a third of a
    /// second, which should not land on the connect that is still finishing.
    /// </summary>
    public TimeSpan WarmPoolRefillDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <param name="wireGuard">The WireGuard the node chose at start.</param>
    public NodeRegistration ToRegistration(WireGuard.WireGuardMode wireGuard) =>
        new(PublicAddress, Capacity, PortMin, PortMax, TunnelPool, Group, wireGuard.ToString().ToLowerInvariant());

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PortMin > PortMax)
        {
            yield return new ValidationResult($"Node:PortMin ({PortMin}) must not be above Node:PortMax ({PortMax})", [nameof(PortMin), nameof(PortMax)]);
        }

        if (!BlockedRanges.All(range => System.Net.IPNetwork.TryParse(range, out _)))
        {
            yield return new ValidationResult("Node:BlockedDestinations must be CIDRs, separated by commas", [nameof(BlockedDestinations)]);
        }
    }
}
