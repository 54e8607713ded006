using OrleansWg.NodeHost.Convergence;

namespace OrleansWg.NodeHost.Tests;

public sealed class DesiredStateGateTests
{
    private static DesiredNodeState State(long revision, params string[] users) =>
        new("node-1", [.. users.Select(user => new DesiredContainer(user, []))], revision);

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
}
