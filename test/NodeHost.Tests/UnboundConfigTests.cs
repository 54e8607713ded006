using OrleansWg.NodeHost.Dns;

namespace OrleansWg.NodeHost.Tests;

public sealed class UnboundConfigTests
{
    private static readonly ResolverSite Site = new("/var/lib/orleanswg/nodes/node-1.resolver", "198.18.48.1", "198.18.48.0/20", 100, 16);

    private static readonly DnsPolicy Policy = DnsPolicy.Empty with
    {
        Upstreams = ["198.18.9.53", "2001:2::53"],
        Blocked = ["ads.example", "tracker.example"],
        Allowed = ["ok.ads.example"],
        Blocklist = ["tracker.example", "malware.example"],
    };

    [Fact]
    public void The_resolver_answers_only_the_nodes_containers_on_the_bridge_at_a_rate_limit_per_container()
    {
        var config = UnboundConfig.Render(Site, Policy);

        Assert.Contains("  interface: 198.18.48.1\n  port: 53\n", config);
        Assert.Contains("  access-control: 0.0.0.0/0 refuse\n  access-control: ::/0 refuse\n  access-control: 198.18.48.0/20 allow\n", config);
        Assert.Contains("  ip-ratelimit: 100\n", config);
        Assert.Contains("  msg-cache-size: 16m\n  rrset-cache-size: 32m\n", config);
        Assert.Contains("  control-interface: \"/var/lib/orleanswg/nodes/node-1.resolver/control.sock\"\n", config);
    }

    [Fact]
    public void Upstreams_are_forwarded_to_and_none_means_recursion_from_the_root()
    {
        Assert.EndsWith("forward-zone:\n  name: \".\"\n  forward-addr: 198.18.9.53\n  forward-addr: 2001:2::53\n", UnboundConfig.Render(Site, Policy));
        Assert.DoesNotContain("forward-zone", UnboundConfig.Render(Site, Policy with { Upstreams = [] }));
    }

    [Fact]
    public void Dnssec_validates_from_the_nodes_own_copy_of_the_root_key_and_off_leaves_the_validator_out()
    {
        var validating = UnboundConfig.Render(Site, Policy);
        var trusting = UnboundConfig.Render(Site, Policy with { Dnssec = false });

        Assert.Contains("  module-config: \"respip validator iterator\"\n  auto-trust-anchor-file: \"/var/lib/orleanswg/nodes/node-1.resolver/root.key\"\n", validating);
        Assert.Contains("  module-config: \"respip iterator\"\n", trusting);
        Assert.DoesNotContain("trust-anchor", trusting);
    }

    [Fact]
    public void Blocked_names_and_the_blocklist_answer_nxdomain_with_their_subdomains_and_exceptions_pass_through() =>
        Assert.Equal(
            "$ORIGIN rpz.owg.\n@ 3600 IN SOA localhost. nobody.invalid. 1 3600 600 86400 60\n@ 3600 IN NS localhost.\n"
            + "ads.example CNAME .\n*.ads.example CNAME .\ntracker.example CNAME .\n*.tracker.example CNAME .\nmalware.example CNAME .\n*.malware.example CNAME .\n"
            + "ok.ads.example CNAME rpz-passthru.\n*.ok.ads.example CNAME rpz-passthru.\n",
            UnboundConfig.RenderBlocklist(Policy));
}
