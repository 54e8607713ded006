using OrleansWg.NodeHost.Docker;

namespace OrleansWg.NodeHost.Tests;

public sealed class PortChoiceTests
{
    private static SessionContainer On(int port) => new($"c{port}", $"owg-{port}", null, IsWarm: true, port, $"/var/lib/owg/{port}", Running: true);

    [Fact]
    public void With_no_containers_the_first_port_of_the_range_is_chosen() =>
        Assert.Equal(51000, PortChoice.Lowest(51000, 51009, [], [], []));

    [Fact]
    public void The_lowest_port_no_container_holds_is_chosen() =>
        Assert.Equal(51001, PortChoice.Lowest(51000, 51009, [On(51000), On(51002)], [], []));

    [Fact]
    public void A_leaving_container_still_holds_its_port() =>
        Assert.Equal(51002, PortChoice.Lowest(51000, 51009, [On(51000)], [On(51001)], []));

    [Fact]
    public void A_range_whose_every_port_is_held_refuses_with_the_range_in_its_message()
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => PortChoice.Lowest(51000, 51001, [On(51000)], [On(51001)], []));

        Assert.Contains("51000-51001", refusal.Message);
    }

    [Fact]
    public void A_full_Docker_network_refuses_though_ports_are_free()
    {
        var full = Enumerable.Range(40000, SessionContainers.MaxPerNetwork).Select(On).ToList();

        Assert.Throws<InvalidOperationException>(() => PortChoice.Lowest(51000, 52000, full, [], []));
    }

    [Fact]
    public void A_port_something_else_on_the_host_listens_on_is_passed_over() =>
        Assert.Equal(51002, PortChoice.Lowest(51000, 51009, [On(51000)], [], [51001, 53]));

    [Fact]
    public void The_hosts_bound_ports_are_read_from_both_socket_tables_of_the_kernel()
    {
        using var ipv4 = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        using var ipv6 = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.IPv6Loopback, 0));

        var bound = HostUdpPorts.Bound();

        Assert.Contains(((System.Net.IPEndPoint)ipv4.Client.LocalEndPoint!).Port, bound);
        Assert.Contains(((System.Net.IPEndPoint)ipv6.Client.LocalEndPoint!).Port, bound);
    }

    [Fact]
    public void A_socket_table_line_gives_its_local_port_and_the_header_none()
    {
        string[] table =
        [
            "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
            "  123: 0100007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 12345 2 0000000000000000 0",
            "   45: 00000000000000000000000000000000:C738 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 678 2 0000000000000000 0",
        ];

        Assert.Equal([53, 51000], HostUdpPorts.Parse(table));
    }
}
