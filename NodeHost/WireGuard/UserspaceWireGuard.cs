using Docker.DotNet.Models;
using OrleansWg.NodeHost.Docker;

namespace OrleansWg.NodeHost.WireGuard;

/// <summary>
/// wireguard-go in each container: the container gets the TUN device and its host directory on
/// /run/wireguard, where wireguard-go makes its UAPI socket; its interface listens on
/// <see cref="InterfacePort"/> inside the container, which Docker publishes on the user's port.
/// </summary>
public sealed class UserspaceWireGuard(NodeOptions node) : IWireGuardBackend, IDisposable
{
    /// <summary>The UDP port wireguard-go listens on inside every container.</summary>
    public const int InterfacePort = 51820;

    // How long a started container's interface may take to answer; each request to it has Node.InterfaceTimeout.
    private static readonly TimeSpan InterfaceStartTimeout = TimeSpan.FromSeconds(10);

    private readonly UapiConnections interfaces = new(node.InterfaceTimeout);

    public WireGuardMode Mode => WireGuardMode.Userspace;

    public void Prepare(CreateContainerParameters container, int port, string directory)
    {
        container.Env.Add("OWG_WIREGUARD=userspace");
        container.ExposedPorts = new Dictionary<string, EmptyStruct> { [$"{InterfacePort}/udp"] = default };
        container.HostConfig.Devices = [new DeviceMapping { PathOnHost = "/dev/net/tun", PathInContainer = "/dev/net/tun", CgroupPermissions = "rwm" }];
        container.HostConfig.Binds = [$"{directory}:/run/wireguard"];
        container.HostConfig.PortBindings = new Dictionary<string, IList<PortBinding>>
        {
            [$"{InterfacePort}/udp"] = [new PortBinding { HostIP = node.PublicAddress, HostPort = $"{port}" }],
        };
    }

    public int ListenPort(int port) => InterfacePort;

    /// <summary>Waits until the interface answers on its socket: wireguard-go makes the file before it listens.</summary>
    public async Task BringUpAsync(SessionContainer container, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + InterfaceStartTimeout;
        while (true)
        {
            try
            {
                await Interface(container).GetAsync(cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5, cancellationToken);
            }
            catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException)
            {
                throw new TimeoutException(
                    $"container {container.Name} made no WireGuard interface within {InterfaceStartTimeout.TotalSeconds} s", exception);
            }
        }
    }

    /// <summary>The interface over a connection kept open.</summary>
    public IContainerInterface Interface(SessionContainer container) => interfaces.For(container.UapiSocket);

    public void KeepOnly(IEnumerable<SessionContainer> present) => interfaces.KeepOnly(present.Select(c => c.UapiSocket));

    public void Forget(SessionContainer container) => interfaces.Close(container.UapiSocket);

    public void Dispose() => interfaces.Dispose();
}
