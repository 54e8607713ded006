using OrleansWg.NodeHost.Convergence;

namespace OrleansWg.NodeHost.Tests;

public sealed class DesiredStateGateTests
{
    private const long Epoch = 100;

    private static DesiredNodeState State(long revision, params string[] users) => State(Epoch, revision, users);

    private static DesiredNodeState State(long epoch, long revision, params string[] users) =>
        new("node-1", [.. users.Select(user => new DesiredContainer(user, []))], revision, Epoch: epoch);

    [Fact]
    public void A_heartbeats_older_state_arriving_after_a_newer_push_is_not_applied()
    {
        var gate = new DesiredStateGate();
        var pushed = State(8, "alice", "bob");

        gate.Newest(pushed);
        var applied = gate.Newest(State(7, "alice"));

        Assert.Same(pushed, applied);
    }

    [Fact]
    public void A_newer_or_equal_revision_is_applied_as_it_comes()
    {
        var gate = new DesiredStateGate();
        gate.Newest(State(3, "carol"));
        var same = State(3, "carol", "dan");
        var newer = State(4);

        Assert.Same(same, gate.Newest(same));
        Assert.Same(newer, gate.Newest(newer));
    }

    [Fact]
    public void A_change_on_the_held_revision_replaces_adds_or_removes_only_its_users_container()
    {
        var gate = new DesiredStateGate();
        gate.Newest(State(5, "alice", "bob"));
        var alicesPeer = new DesiredPeer("key", "100.64.0.2/32");

        var changed = gate.Newest(new DesiredNodeChange(5, 6, "alice", new DesiredContainer("alice", [alicesPeer]), Epoch));
        var added = gate.Newest(new DesiredNodeChange(6, 7, "carol", new DesiredContainer("carol", []), Epoch));
        var removed = gate.Newest(new DesiredNodeChange(7, 8, "bob", null, Epoch));

        Assert.Equal(alicesPeer, changed!.Containers.Single(c => c.User == "alice").Peers.Single());
        Assert.Equal((7L, 3), (added!.Revision, added.Containers.Length));
        Assert.Equal((8L, "alice carol"), (removed!.Revision, string.Join(' ', removed.Containers.Select(c => c.User))));
    }

    [Fact]
    public void A_change_on_a_revision_the_node_does_not_hold_asks_for_the_whole_state_and_changes_nothing()
    {
        var gate = new DesiredStateGate();
        Assert.Null(gate.Newest(new DesiredNodeChange(0, 1, "alice", new DesiredContainer("alice", []), Epoch)));
        var held = State(5, "alice");
        gate.Newest(held);

        var missedOne = gate.Newest(new DesiredNodeChange(6, 7, "bob", new DesiredContainer("bob", []), Epoch));

        Assert.Null(missedOne);
        Assert.Same(held, gate.Newest(State(4)));
    }

    [Fact]
    public void A_change_the_node_holds_a_newer_state_than_leaves_that_state()
    {
        var gate = new DesiredStateGate();
        var heartbeats = State(9, "alice", "bob");
        gate.Newest(heartbeats);

        Assert.Same(heartbeats, gate.Newest(new DesiredNodeChange(7, 8, "bob", null, Epoch)));
    }

    [Fact]
    public void A_state_of_a_later_server_activation_is_applied_even_with_an_older_revision_as_after_a_restore()
    {
        var gate = new DesiredStateGate();
        gate.Newest(State(12, "alice", "bob"));
        var restored = State(Epoch + 1, 4, "alice");

        Assert.Same(restored, gate.Newest(restored));
        Assert.Same(restored, gate.Newest(State(restored.Epoch, 3)));
    }

    [Fact]
    public void A_state_of_an_earlier_server_activation_arriving_late_is_never_applied()
    {
        var gate = new DesiredStateGate();
        var current = State(Epoch + 1, 2, "alice", "bob");
        gate.Newest(current);

        Assert.Same(current, gate.Newest(State(Epoch, 50, "alice")));
    }

    [Fact]
    public void A_change_of_a_later_epoch_asks_for_the_whole_state_and_one_of_an_earlier_epoch_changes_nothing()
    {
        var gate = new DesiredStateGate();
        var held = State(5, "alice");
        gate.Newest(held);

        Assert.Null(gate.Newest(new DesiredNodeChange(5, 6, "bob", new DesiredContainer("bob", []), Epoch + 1)));
        Assert.Same(held, gate.Newest(new DesiredNodeChange(5, 6, "bob", new DesiredContainer("bob", []), Epoch - 1)));
        Assert.Same(held, gate.Newest(State(4)));
    }
}
