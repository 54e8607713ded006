using OrleansWg.NodeHost.Docker;

namespace OrleansWg.NodeHost.Tests;

public sealed class PortChoiceTests
{
    private static SessionContainer On(int port) => new($"c{port}", $"owg-{port}", null, IsWarm: true, port, $"/var/lib/owg/{port}", Running: true);

    [Fact]
    public void With_no_containers_the_first_port_of_the_range_is_chosen() =>
        Assert.Equal(51000, PortChoice.Lowest(51000, 51009, [], []));

    [Fact]
    public void The_lowest_port_no_container_holds_is_chosen() =>
        Assert.Equal(51001, PortChoice.Lowest(51000, 51009, [On(51000), On(51002)], []));

    [Fact]
    public void A_leaving_container_still_holds_its_port() =>
        Assert.Equal(51002, PortChoice.Lowest(51000, 51009, [On(51000)], [On(51001)]));

    [Fact]
    public void A_range_whose_every_port_is_held_refuses_with_the_range_in_its_message()
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => PortChoice.Lowest(51000, 51001, [On(51000)], [On(51001)]));

        Assert.Contains("51000-51001", refusal.Message);
    }

    [Fact]
    public void A_full_Docker_network_refuses_though_ports_are_free()
    {
        var full = Enumerable.Range(40000, SessionContainers.MaxPerNetwork).Select(On).ToList();

        Assert.Throws<InvalidOperationException>(() => PortChoice.Lowest(51000, 52000, full, []));
    }
}
