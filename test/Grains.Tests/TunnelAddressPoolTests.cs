using OrleansWg.Grains.Servers;

namespace OrleansWg.Grains.Tests;

public sealed class TunnelAddressPoolTests
{
    [Fact]
    public void A_slash_16_pool_holds_256_user_subnets_given_out_lowest_first()
    {
        var pool = new TunnelAddressPool("100.64.0.0/16");

        Assert.Equal(256, pool.SubnetCount);
        Assert.Equal(2, pool.FreeSubnet([0, 1, 3]));
    }

    [Fact]
    public void Peers_get_the_lowest_free_host_from_2_to_254()
    {
        var pool = new TunnelAddressPool("100.64.0.0/16");

        Assert.Equal("100.64.7.2/32", pool.FreePeerAddress(7, []));
        Assert.Equal("100.64.7.4/32", pool.FreePeerAddress(7, ["100.64.7.2/32", "100.64.7.3/32"]));
        Assert.Null(pool.FreePeerAddress(7, Enumerable.Range(2, 253).Select(h => $"100.64.7.{h}/32")));
    }

    [Theory]
    [InlineData("100.64.0.0/25")]
    [InlineData("100.64.0.0/7")]
    [InlineData("fd00::/64")]
    [InlineData("not a cidr")]
    public void A_pool_that_cannot_be_cut_into_slash_24s_is_rejected(string cidr) =>
        Assert.Throws<ArgumentException>(() => new TunnelAddressPool(cidr));
}
