using OrleansWg.Grains.Servers;

namespace OrleansWg.Grains.Tests;

public sealed class ServerChooserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly PlacementOptions Options = new() { NodeDownAfter = TimeSpan.FromSeconds(30), HomeSlack = 0.1 };

    private static ServerSummary Server(string id, int sessions, int capacity = 10, string group = "generic", bool draining = false, int secondsSinceSeen = 1) =>
        new(id, group, capacity, sessions, draining, Now.AddSeconds(-secondsSinceSeen));

    private static Placement Rank(IEnumerable<ServerSummary> servers, ServerPermissions? permissions = null, string? requested = null, params string[] home) =>
        ServerChooser.Rank(servers, new PlacementRequest(permissions ?? ServerPermissions.None, requested, [.. home]), Now, Options, new Random(7));

    [Fact]
    public void The_least_loaded_share_of_capacity_comes_first() =>
        Assert.Equal<string>(["b", "c", "a"], Rank([Server("a", 5), Server("b", 1), Server("c", 4, capacity: 20)]).Candidates);

    [Fact]
    public void Down_draining_and_full_servers_are_never_candidates() =>
        Assert.Equal<string>(["ok"], Rank([Server("down", 0, secondsSinceSeen: 31), Server("draining", 0, draining: true),
            Server("full", 10), Server("ok", 9)]).Candidates);

    [Fact]
    public void The_server_a_moving_session_leaves_is_never_a_candidate_even_as_its_home() =>
        Assert.Equal<string>(["b"], ServerChooser.Rank([Server("a", 0), Server("b", 5)],
            new PlacementRequest(ServerPermissions.None, null, ["a"], Excluded: "a"), Now, Options, new Random(7)).Candidates);

    [Fact]
    public void Without_permissions_only_the_generic_group_is_used() =>
        Assert.Equal<string>(["g"], Rank([Server("g", 9), Server("p", 0, group: "premium")]).Candidates);

    [Fact]
    public void With_permissions_only_permitted_ids_and_groups_are_used() =>
        Assert.Equal<string>(["p", "named"], Rank([Server("g", 0), Server("p", 1, group: "premium"), Server("named", 2, group: "x")],
            new ServerPermissions(["named"], ["premium"])).Candidates);

    [Fact]
    public void A_requested_server_that_is_not_permitted_is_refused() =>
        Assert.Equal(PlacementFailure.NotPermitted, Rank([Server("g", 0), Server("p", 0, group: "premium")], requested: "p").Failure);

    [Fact]
    public void A_requested_permitted_server_that_is_full_leaves_none_available() =>
        Assert.Equal(PlacementFailure.NoneAvailable, Rank([Server("g", 10), Server("h", 0)], requested: "g").Failure);

    [Fact]
    public void A_server_where_the_user_has_a_container_comes_first_within_the_slack() =>
        Assert.Equal<string>(["home", "best"], Rank([Server("best", 1), Server("home", 2)], home: "home").Candidates);

    [Fact]
    public void A_server_where_the_user_has_a_container_gives_way_beyond_the_slack() =>
        Assert.Equal<string>(["best", "home"], Rank([Server("best", 1), Server("home", 3)], home: "home").Candidates);

    [Fact]
    public void Equal_loads_are_ordered_at_random()
    {
        var servers = new[] { Server("a", 0), Server("b", 0) };
        var firsts = Enumerable.Range(0, 50)
            .Select(seed => ServerChooser.Rank(servers, new PlacementRequest(ServerPermissions.None, null, []), Now, Options, new Random(seed)).Candidates[0])
            .ToHashSet();
        Assert.Equal(["a", "b"], firsts.Order());
    }
}
