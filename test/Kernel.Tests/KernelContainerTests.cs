using System.Net;
using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.Kernel.Tests;

/// <summary>Session containers on the kernel's WireGuard, made by the node's own code in a guest with Docker.</summary>
public sealed class KernelContainerTests
{
    private const int Port = 51900;
    private const string PageBody = "through the kernel's WireGuard";
    private static readonly TimeSpan TunnelUp = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_container_gets_wg0_on_the_users_port_with_no_process_and_a_client_fetches_a_page_through_it_and_back_after_a_docker_restart()
    {
        await using var node = await KernelNode.StartAsync(KernelWireGuardRequired.Netlink());
        using var page = PageServer.Start(IPAddress.Parse(node.Options.ResolverAddress), PageBody);
        var container = await node.Containers.StartAsync("alice", Port, CancellationToken.None);
        var (serverKey, _, _) = await node.ApplyAsync(container);
        var clientKey = await node.ConnectClientAsync(serverKey, Port, "100.64.1.2/32");
        await node.ApplyAsync(container, new DesiredPeer(clientKey, "100.64.1.2/32"));

        var listening = await Command.RunAsync("ss", $"-Huln sport = :{Port}");
        var processes = await Command.RunAsync("docker", $"top {container.Id}");
        var inContainer = await Command.RunAsync("docker", $"exec {container.Id} ip -d link show wg0");
        var fetched = await Command.EventuallyAsync("ip", $"netns exec {node.Client.Name} curl -sf -m 5 {page.Url}", TunnelUp);

        await Command.RunAsync("docker", $"restart -t 1 {container.Id}");
        var (keyAfterRestart, _, restored) = await node.ApplyAsync(container, new DesiredPeer(clientKey, "100.64.1.2/32"));
        var fetchedAgain = await Command.EventuallyAsync("ip", $"netns exec {node.Client.Name} curl -sf -m 5 {page.Url}", TunnelUp);
        var portAfterRestart = (await node.Containers.Interface(container).GetAsync(CancellationToken.None)).ListenPort;

        Assert.Contains($":{Port}", listening);
        Assert.DoesNotContain("wireguard", processes);
        Assert.Contains("wireguard", inContainer);
        Assert.Equal(PageBody, fetched);
        Assert.True(restored, "the restarted container's interface must be made again and given its key back");
        Assert.Equal((serverKey, Port), (keyAfterRestart, portAfterRestart));
        Assert.Equal(PageBody, fetchedAgain);
    }

    [Fact]
    public async Task Removing_a_container_leaves_no_interface_or_socket_in_the_hosts_namespace_and_its_port_can_be_used_again()
    {
        await using var node = await KernelNode.StartAsync(KernelWireGuardRequired.Netlink());
        var container = await node.Containers.StartAsync("bob", Port + 1, CancellationToken.None);
        await node.ApplyAsync(container);

        await node.Containers.RemoveAsync(container, CancellationToken.None);
        await Command.EventuallyAsync("sh", $"-c \"! ss -Huln sport = :{Port + 1} | grep -q .\"", TimeSpan.FromSeconds(20));
        var links = await Command.RunAsync("ip", "-o link show");
        var again = await node.Containers.StartAsync("bob", Port + 1, CancellationToken.None);
        var (_, _, restored) = await node.ApplyAsync(again);

        Assert.DoesNotContain($"owgp{Port + 1}", links);
        Assert.False(restored);
        Assert.Equal(Port + 1, (await node.Containers.Interface(again).GetAsync(CancellationToken.None)).ListenPort);
    }

    [Fact]
    public void The_node_chooses_the_kernels_WireGuard_by_itself_where_the_kernel_has_it()
    {
        KernelWireGuardRequired.Netlink();

        Assert.Equal(WireGuardMode.Kernel, WireGuardModeChoice.Choose(WireGuardMode.Auto, WireGuardModeChoice.ProbeKernel().Unusable));
    }
}
