namespace OrleansWg.Grains.Tests;

/// <summary>A group's DNS policy, from the admin's change to the sessions' configs and the nodes' desired state.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DnsPolicyFlowTests(ClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    private IServerGroupGrain Group => fixture.Client.GetGrain<IServerGroupGrain>(world.Group);

    [Fact]
    public async Task A_connect_carries_its_groups_search_domains_and_routes_with_the_resolver_inside_the_tunnel()
    {
        await world.Server("a");
        await Group.SetDns(DnsPolicy.Empty with { SearchDomains = ["corp.example"], Routes = ["198.18.0.0/15"] });
        var user = await world.User("dns");

        var session = (await user.Connect(TestWorld.Request())).Session!;
        var view = (await fixture.Client.GetGrain<ISessionGrain>(session.SessionId).Describe())!;

        Assert.Equal(["100.64.0.1"], session.Dns.ToArray());
        Assert.Equal(["corp.example"], session.SearchDomains.ToArray());
        Assert.Equal("198.18.0.0/15, 100.64.0.1/32", session.AllowedIps);
        Assert.Equal(session.Dns.ToArray(), view.Dns.ToArray());
        Assert.Equal(session.SearchDomains.ToArray(), view.SearchDomains.ToArray());
        Assert.Equal(session.AllowedIps, view.AllowedIps);
    }

    [Fact]
    public async Task A_group_without_routes_sends_everything_into_the_tunnel()
    {
        await world.Server("a");
        var user = await world.User("full");

        var session = (await user.Connect(TestWorld.Request())).Session!;

        Assert.Equal("0.0.0.0/0, ::/0", session.AllowedIps);
        Assert.Empty(session.SearchDomains);
    }

    [Fact]
    public async Task A_groups_policy_reaches_its_nodes_desired_state_and_a_reset_gives_back_the_cluster_default()
    {
        var (id, agent) = await world.Server("a");
        var inherited = await Group.GetDns();

        await Group.SetDns(DnsPolicy.Empty with { Upstreams = ["198.18.9.53"], Blocked = ["ads.example"] });
        var own = await Group.GetDns();
        await Group.SetBlocklist(["tracker.example"]);
        var withBlocklist = await Group.GetDns();
        var desired = agent.Last!.DnsStamp;
        var asTheNodeReadsIt = await fixture.Client.GetGrain<IServerGrain>(id).GetDnsPolicy();
        await Group.SetDns(null);
        var reset = await Group.GetDns();

        Assert.True(inherited.Inherited);
        Assert.False(own.Inherited);
        Assert.Equal(["ads.example"], own.Policy.Blocked.ToArray());
        Assert.Equal(["ads.example"], withBlocklist.Policy.Blocked.ToArray());
        Assert.Equal(["tracker.example"], withBlocklist.Policy.Blocklist.ToArray());
        Assert.Equal(withBlocklist.Stamp, desired);
        Assert.Equal(withBlocklist.Stamp, asTheNodeReadsIt.Stamp);
        Assert.Equal(inherited.Stamp, reset.Stamp);
        Assert.Equal(reset.Stamp, agent.Last!.DnsStamp);
    }

    [Fact]
    public async Task A_new_policy_keeps_the_groups_imported_blocklist()
    {
        await Group.SetBlocklist(["tracker.example"]);

        await Group.SetDns(DnsPolicy.Empty with { SearchDomains = ["corp.example"] });

        Assert.Equal(["tracker.example"], (await Group.GetDns()).Policy.Blocklist.ToArray());
    }
}
