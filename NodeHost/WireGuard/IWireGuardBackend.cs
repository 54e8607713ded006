using Docker.DotNet.Models;
using OrleansWg.NodeHost.Docker;

namespace OrleansWg.NodeHost.WireGuard;

/// <summary>
/// How the node's containers get their WireGuard interfaces: what a container is made with, how its
/// interface comes up after the container starts, and how it is reached afterwards.
/// </summary>
public interface IWireGuardBackend
{
    /// <summary><see cref="WireGuardMode.Kernel"/> or <see cref="WireGuardMode.Userspace"/>.</summary>
    WireGuardMode Mode { get; }

    /// <summary>Adds to a container's making what this backend needs of it (devices, a published port, mounts).</summary>
    void Prepare(CreateContainerParameters container, int port, string directory);

    /// <summary>The UDP port the interface of a container published on <paramref name="port"/> listens on, in its own namespace.</summary>
    int ListenPort(int port);

    /// <summary>After the container started: makes its interface ready to configure, or waits until it is.</summary>
    Task BringUpAsync(SessionContainer container, CancellationToken cancellationToken);

    IContainerInterface Interface(SessionContainer container);

    /// <summary>Lets go of what is held for containers not in <paramref name="present"/>.</summary>
    void KeepOnly(IEnumerable<SessionContainer> present);

    /// <summary>Lets go of what is held for <paramref name="container"/>, which is gone.</summary>
    void Forget(SessionContainer container);
}
