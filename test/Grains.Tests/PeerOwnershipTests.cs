using OrleansWg.Grains.Servers;

namespace OrleansWg.Grains.Tests;

public sealed class PeerOwnershipTests
{
    private const string Server = "node-a";

    [Theory]
    [InlineData(SessionStatus.Provisioning, null, true)]
    [InlineData(SessionStatus.Active, Server, true)]
    [InlineData(SessionStatus.Active, "node-b", false)]
    [InlineData(SessionStatus.Closing, Server, true)]
    [InlineData(SessionStatus.Closed, Server, false)]
    [InlineData(SessionStatus.Failed, null, false)]
    public void A_peer_stays_while_its_session_starts_closes_or_is_active_on_its_server(SessionStatus status, string? sessionServer, bool owned)
    {
        var now = DateTimeOffset.UtcNow;
        var session = new SessionView(Guid.NewGuid(), "alice", sessionServer, null, status, now, now, null, null, null, null, null, null, 0, [], null, [], [], null);

        Assert.Equal(owned, PeerOwnership.IsOwned(session, Server));
    }

    [Fact]
    public void A_peer_whose_session_never_started_goes() => Assert.False(PeerOwnership.IsOwned(null, Server));
}
