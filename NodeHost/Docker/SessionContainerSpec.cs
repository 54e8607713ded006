using Docker.DotNet.Models;
using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.NodeHost.Docker;

/// <summary>
/// What a session container is in Docker's terms, with no call to Docker: what it is made with (its
/// image, labels, the locks on what it may do, and what its <paramref name="wireGuard"/> needs) and
/// how a listing of it reads back as a <see cref="SessionContainer"/>.
/// </summary>
public sealed class SessionContainerSpec(NodeOwner owner, NodeOptions node, IWireGuardBackend wireGuard)
{
    private const string UserLabel = "owg.user";
    private const string UapiLabel = "owg.uapi";

    // Docker lists a stopped container's published ports as none: the port is kept in a label too.
    private const string PortLabel = "owg.port";

    public ContainerNames Names { get; } = new(owner);

    /// <summary>A container named <paramref name="name"/> for <paramref name="user"/> (null: a warm one), on <paramref name="port"/>, its UAPI socket in <paramref name="directory"/>.</summary>
    public CreateContainerParameters For(string name, string? user, int port, string directory)
    {
        var container = new CreateContainerParameters
        {
            Name = name,
            Image = node.Image,
            Labels = new Dictionary<string, string>(owner.Labels()) { [UserLabel] = user ?? "", [UapiLabel] = directory, [PortLabel] = $"{port}" },
            Env = [$"OWG_ADDRESS={InterfaceAddress(node.TunnelPool)}", $"OWG_RESOLVER={node.ResolverAddress}"],
            HostConfig = new HostConfig
            {
                NetworkMode = Names.Network,
                CapDrop = ["ALL"],
                CapAdd = ["NET_ADMIN"],
                // Nothing a client's traffic could reach may change the container: its root is read-only,
                // and only /run (iptables' lock) and, with wireguard-go, the UAPI directory are writable.
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/run"] = "rw,noexec,nosuid,nodev,size=1m", ["/tmp"] = "rw,noexec,nosuid,nodev,size=1m" },
                SecurityOpt = ["no-new-privileges:true"],
                PidsLimit = node.ContainerPidsLimit,
                Memory = node.ContainerMemoryMegabytes * 1024L * 1024L,
                Sysctls = new Dictionary<string, string> { ["net.ipv4.ip_forward"] = "1" },
            },
        };
        wireGuard.Prepare(container, port, directory);
        return container;
    }

    /// <summary>A container as Docker lists it: whose it is, its port and its directory, from its name and labels.</summary>
    public SessionContainer Read(ContainerListResponse container)
    {
        var name = container.Names.FirstOrDefault()?.TrimStart('/') ?? container.ID;
        var port = container.Labels.TryGetValue(PortLabel, out var labelledPort) && int.TryParse(labelledPort, out var parsed)
            ? parsed
            : container.Ports?.FirstOrDefault(p => p.PrivatePort == UserspaceWireGuard.InterfacePort && p.Type == "udp")?.PublicPort ?? 0;
        var directory = container.Labels.TryGetValue(UapiLabel, out var labelled) ? labelled : "";
        // A claimed warm container may not be renamed yet: the node's owner record says whose it is.
        var claimant = ContainerRecords.Owner(directory);
        return new SessionContainer(container.ID, name, claimant ?? Names.UserOf(name), claimant is null && Names.IsWarm(name), port,
            directory, container.State == "running", Lost: !Directory.Exists(directory));
    }

    /// <summary>Every container's interface: the pool's first address, with the pool's prefix so all peers route through it.</summary>
    public static string InterfaceAddress(string pool) => $"{NodeOptions.FirstHost(pool)}/{System.Net.IPNetwork.Parse(pool).PrefixLength}";
}
