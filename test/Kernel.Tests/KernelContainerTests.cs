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
    public async Task A_node_started_again_finds_each_interface_as_it_was_and_the_clients_tunnel_carries_traffic_throughout()
    {
        await using var node = await KernelNode.StartAsync(KernelWireGuardRequired.Netlink());
        using var page = PageServer.Start(IPAddress.Parse(node.Options.ResolverAddress), PageBody);
        var container = await node.Containers.StartAsync("carol", Port + 2, CancellationToken.None);
        var (serverKey, _, _) = await node.ApplyAsync(container);
        var peer = new DesiredPeer(await node.ConnectClientAsync(serverKey, Port + 2, "100.64.1.3/32"), "100.64.1.3/32");
        await node.ApplyAsync(container, peer);
        await Command.EventuallyAsync("ip", $"netns exec {node.Client.Name} curl -sf -m 5 {page.Url}", TunnelUp);
        var interfaceBefore = await Command.RunAsync("docker", $"exec {container.Id} cat /sys/class/net/wg0/ifindex");

        node.Restart();
        var found = (await node.Containers.ListAsync(reading: null, CancellationToken.None)).Single(c => c.Id == container.Id);
        var (keyAfter, peersAfter, restored) = await node.ApplyAsync(found, peer);
        var interfaceAfter = await Command.RunAsync("docker", $"exec {container.Id} cat /sys/class/net/wg0/ifindex");
        var fetched = await Command.RunAsync("ip", $"netns exec {node.Client.Name} curl -sf -m 5 {page.Url}");

        Assert.False(restored, "an interface that is there must not be made again");
        Assert.Equal(serverKey, keyAfter);
        Assert.Equal(peer.PublicKey, Assert.Single(peersAfter).PublicKey);
        Assert.Equal(interfaceBefore, interfaceAfter);
        Assert.Equal(PageBody, fetched);
    }

    [Fact]
    public async Task A_peers_bandwidth_limit_is_set_with_tc_on_wg0_inside_the_container_and_holds_its_downloads_near_the_rate()
    {
        const int downMbps = 2;
        await using var node = await KernelNode.StartAsync(KernelWireGuardRequired.Netlink());
        using var page = PageServer.Start(IPAddress.Parse(node.Options.ResolverAddress), new string('x', 500_000));
        var container = await node.Containers.StartAsync("dave", Port + 3, CancellationToken.None);
        var (serverKey, _, _) = await node.ApplyAsync(container);
        var peer = new DesiredPeer(await node.ConnectClientAsync(serverKey, Port + 3, "100.64.1.4/32"), "100.64.1.4/32", new BandwidthLimit(downMbps, 1));
        await node.ApplyAsync(container, peer);
        await Command.EventuallyAsync("ip", $"netns exec {node.Client.Name} curl -sf -m 30 -o /dev/null {page.Url}", TunnelUp);

        var free = await DownloadMbpsAsync(node, page);
        await node.ShapeAsync(container, peer);
        var limited = await DownloadMbpsAsync(node, page);
        var uploadClass = await Command.RunAsync("docker", $"exec {container.Id} tc -s class show dev ifb0");

        Assert.True(free >= 2 * downMbps, $"without a limit the download ran at {free:F1} Mbit/s: too slow to show a limit of {downMbps}");
        Assert.InRange(limited, 0.5 * downMbps, 1.2 * downMbps);
        Assert.Matches(@"Sent [1-9]\d* bytes", uploadClass);
    }

    [Fact]
    public void The_node_chooses_the_kernels_WireGuard_by_itself_where_the_kernel_has_it()
    {
        KernelWireGuardRequired.Netlink();

        Assert.Equal(WireGuardMode.Kernel, WireGuardModeChoice.Choose(WireGuardMode.Auto, WireGuardModeChoice.ProbeKernel().Unusable));
    }

    private static async Task<double> DownloadMbpsAsync(KernelNode node, PageServer page)
    {
        var bytesPerSecond = await Command.RunAsync("ip", $"netns exec {node.Client.Name} curl -sf -m 60 -o /dev/null -w %{{speed_download}} {page.Url}", TimeSpan.FromSeconds(90));
        return double.Parse(bytesPerSecond, System.Globalization.CultureInfo.InvariantCulture) * 8 / 1_000_000;
    }
}
