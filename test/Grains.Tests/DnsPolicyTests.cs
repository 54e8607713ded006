namespace OrleansWg.Grains.Tests;

public sealed class DnsPolicyTests
{
    [Theory]
    [InlineData("Ads.Example.", "ads.example")]
    [InlineData(" tracker-1.example ", "tracker-1.example")]
    [InlineData("a", "a")]
    [InlineData("-bad.example", null)]
    [InlineData("bad-.example", null)]
    [InlineData("under_score.example", null)]
    [InlineData("two..dots", null)]
    [InlineData("", null)]
    [InlineData("*.wildcard.example", null)]
    public void A_domain_name_is_written_one_way_and_anything_else_is_not_one(string name, string? expected) =>
        Assert.Equal(expected, DnsNames.Normalize(name));

    [Fact]
    public void A_name_longer_than_dns_allows_is_not_one() =>
        Assert.Null(DnsNames.Normalize(string.Join('.', Enumerable.Repeat(new string('a', 63), 4))));

    [Theory]
    [InlineData("198.18.0.0/15", "198.18.0.0/15")]
    [InlineData("2001:2::/48", "2001:2::/48")]
    [InlineData("198.18.0.5/15", null)]
    [InlineData("198.18.0.5", null)]
    [InlineData("not/a-cidr", null)]
    public void A_route_is_a_cidr_of_its_networks_own_address(string text, string? expected) =>
        Assert.Equal(expected, DnsNames.NormalizeCidr(text));

    [Fact]
    public void The_stamp_names_the_content_so_equal_policies_share_it_and_any_change_makes_another()
    {
        var policy = DnsPolicy.Empty with { Blocked = ["ads.example"] };

        Assert.Equal(policy.Stamp(), (DnsPolicy.Empty with { Blocked = ["ads.example"] }).Stamp());
        Assert.NotEqual(policy.Stamp(), (policy with { Allowed = ["ads.example"] }).Stamp());
        Assert.NotEqual(policy.Stamp(), (policy with { Dnssec = false }).Stamp());
    }

    [Fact]
    public void A_policy_without_upstreams_takes_the_defaults_and_one_with_its_own_keeps_them()
    {
        var clusterDefault = DnsPolicy.Empty with { Upstreams = ["198.18.9.53"] };

        Assert.Equal(["198.18.9.53"], DnsPolicy.Empty.Over(clusterDefault).Upstreams.ToArray());
        Assert.Equal(["198.18.7.53"], (DnsPolicy.Empty with { Upstreams = ["198.18.7.53"] }).Over(clusterDefault).Upstreams.ToArray());
    }
}
