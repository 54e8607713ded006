using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.NodeHost.Tests;

public sealed class UapiConnectionsTests : IDisposable
{
    private readonly UapiConnections connections = new(TimeSpan.FromSeconds(1));

    [Fact]
    public void A_socket_keeps_its_one_connection_between_requests()
    {
        var first = connections.For("/run/owg/a/wg0.sock");

        Assert.Same(first, connections.For("/run/owg/a/wg0.sock"));
        Assert.Equal("/run/owg/a/wg0.sock", first.Name);
    }

    [Fact]
    public void A_closed_socket_gets_a_new_connection_on_its_next_request()
    {
        var first = connections.For("/run/owg/a/wg0.sock");

        connections.Close("/run/owg/a/wg0.sock");

        Assert.NotSame(first, connections.For("/run/owg/a/wg0.sock"));
    }

    [Fact]
    public void Keeping_some_sockets_closes_the_connections_of_the_others()
    {
        var kept = connections.For("/run/owg/a/wg0.sock");
        var dropped = connections.For("/run/owg/b/wg0.sock");

        connections.KeepOnly(["/run/owg/a/wg0.sock"]);

        Assert.Same(kept, connections.For("/run/owg/a/wg0.sock"));
        Assert.NotSame(dropped, connections.For("/run/owg/b/wg0.sock"));
    }

    public void Dispose() => connections.Dispose();
}
