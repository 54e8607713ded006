using System.Collections.Immutable;
using OrleansWg.NodeHost.Convergence;
using OrleansWg.NodeHost.Docker;

namespace OrleansWg.NodeHost.Tests;

public sealed class ConvergenceScopeTests
{
    private static readonly ConvergenceScope WholeNode = new(ChangedUser: null);
    private static readonly ConvergenceScope AlicesChange = new("alice");

    private static SessionContainer Of(string? user, bool running = true) =>
        new($"id-{user}", $"owg-{user}", user, IsWarm: false, 51000, $"/var/lib/owg/node-1/{user}", running);

    private static SessionContainer Warm(string id, bool running = true) =>
        new(id, $"owg-warm-{id}", null, IsWarm: true, 51000, $"/var/lib/owg/node-1/{id}", running);

    private static DesiredNodeState Desired(params string[] users) =>
        new("node-1", [.. users.Select(user => new DesiredContainer(user, ImmutableArray<DesiredPeer>.Empty))], Revision: 1);

    [Fact]
    public void The_whole_node_wants_every_desired_user_and_a_change_only_its_own()
    {
        Assert.Equal(["alice", "bob"], WholeNode.WantedUsers(Desired("alice", "bob")).Order());
        Assert.Equal(["alice"], AlicesChange.WantedUsers(Desired("alice", "bob")));
    }

    [Fact]
    public void The_container_of_a_user_no_longer_desired_is_extra() =>
        Assert.Equal([Of("carol")], WholeNode.Extra([Of("alice"), Of("carol")], new HashSet<string> { "alice" }));

    [Fact]
    public void A_desired_users_stopped_container_is_kept_to_be_started_again() =>
        Assert.Empty(WholeNode.Extra([Of("alice", running: false)], new HashSet<string> { "alice" }));

    [Fact]
    public void A_lost_container_is_extra_though_its_user_is_desired() =>
        Assert.Equal([Of("alice") with { Lost = true }], WholeNode.Extra([Of("alice") with { Lost = true }], new HashSet<string> { "alice" }));

    [Fact]
    public void A_starting_container_is_never_extra_even_when_lost_or_nobody_wants_it() =>
        Assert.Empty(WholeNode.Extra([Warm("w1", running: false) with { Starting = true, Lost = true }, Of("carol") with { Starting = true }], new HashSet<string>()));

    [Fact]
    public void A_running_warm_container_is_kept_and_a_stopped_one_is_extra() =>
        Assert.Equal([Warm("w2", running: false)], WholeNode.Extra([Warm("w1"), Warm("w2", running: false)], new HashSet<string>()));

    [Fact]
    public void A_stray_that_is_no_users_and_not_warm_is_extra() =>
        Assert.Equal([Of(null)], WholeNode.Extra([Of(null)], new HashSet<string>()));

    [Fact]
    public void A_change_of_one_user_removes_only_that_users_container_and_leaves_warm_ones_and_strays_alone() =>
        Assert.Equal([Of("alice")], AlicesChange.Extra([Of("alice"), Of("carol"), Of(null), Warm("w1", running: false)], new HashSet<string>()));
}
