using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansWg.NodeHost.Docker;
using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.NodeHost.Tests;

public sealed class SessionContainerSpecTests
{
    private static readonly NodeOptions Node = new() { ServerId = "node-1", PublicAddress = "198.18.0.7", TunnelPool = "100.64.0.0/10" };

    private readonly SessionContainerSpec spec = new(new NodeOwner("owg", "node-1"), Node, new UserspaceWireGuard(Node));

    private static SessionContainerSpec KernelSpec() => new(new NodeOwner("owg", "node-1"), Node, new KernelWireGuard(
        new WireGuardNetlink(0x15), new DockerClientConfiguration(new Uri("unix:///nonexistent.sock")).CreateClient(), Node, NullLogger<KernelWireGuard>.Instance));

    [Fact]
    public void A_users_container_keeps_only_NET_ADMIN_a_read_only_root_and_publishes_its_one_port_on_the_public_address()
    {
        var made = spec.For(spec.Names.ForUser("alice"), "alice", 51007, "/var/lib/owg/node-1/abc");

        Assert.Equal(["ALL"], made.HostConfig.CapDrop);
        Assert.Equal(["NET_ADMIN"], made.HostConfig.CapAdd);
        Assert.True(made.HostConfig.ReadonlyRootfs);
        Assert.Contains("no-new-privileges:true", made.HostConfig.SecurityOpt);
        var binding = Assert.Single(Assert.Single(made.HostConfig.PortBindings).Value);
        Assert.Equal(("198.18.0.7", "51007"), (binding.HostIP, binding.HostPort));
        Assert.Equal(["/var/lib/owg/node-1/abc:/run/wireguard"], made.HostConfig.Binds);
        Assert.Contains("OWG_ADDRESS=100.64.0.1/10", made.Env);
        Assert.Contains("OWG_WIREGUARD=userspace", made.Env);
        Assert.Equal(("owg", "node-1"), (made.Labels[NodeOwner.InstallationLabel], made.Labels[NodeOwner.ServerLabel]));
    }

    [Fact]
    public void A_kernel_mode_container_publishes_no_port_and_gets_no_tun_device_or_uapi_directory_and_keeps_its_port_in_a_label()
    {
        var spec = KernelSpec();

        var made = spec.For(spec.Names.ForUser("alice"), "alice", 51007, "/var/lib/owg/node-1/abc");

        Assert.True(made.HostConfig.PortBindings is null or { Count: 0 });
        Assert.True(made.ExposedPorts is null or { Count: 0 });
        Assert.True(made.HostConfig.Devices is null or { Count: 0 });
        Assert.True(made.HostConfig.Binds is null or { Count: 0 });
        Assert.Equal(["NET_ADMIN"], made.HostConfig.CapAdd);
        Assert.Contains("OWG_WIREGUARD=kernel", made.Env);
        Assert.Equal(51007, spec.Read(new ContainerListResponse { ID = "c1", Names = [$"/{made.Name}"], Labels = made.Labels, State = "running" }).Port);
    }

    [Fact]
    public void A_stopped_containers_listing_reads_back_its_user_and_port_from_its_labels()
    {
        var made = spec.For(spec.Names.ForUser("alice"), "alice", 51007, "/nonexistent/owg/abc");
        var listed = new ContainerListResponse { ID = "c1", Names = [$"/{made.Name}"], Labels = made.Labels, State = "exited", Ports = [] };

        var read = spec.Read(listed);

        Assert.Equal(("alice", 51007, "/nonexistent/owg/abc", false), (read.User, read.Port, read.UapiDirectory, read.Running));
        Assert.True(read.Lost, "a container whose directory is gone must be read as lost");
        Assert.False(read.IsWarm);
    }
}
