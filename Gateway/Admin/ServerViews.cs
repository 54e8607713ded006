namespace OrleansWg.Gateway.Admin;

public static class ServerViews
{
    /// <summary>Every server the directory knows, as its own grain describes it.</summary>
    public static async Task<ServerView[]> DescribeServersAsync(this IGrainFactory grains)
    {
        var servers = await grains.GetGrain<IServerDirectoryGrain>(0).List();
        var views = await Task.WhenAll(servers.Select(server => grains.GetGrain<IServerGrain>(server.Id).Describe()));
        return views.OfType<ServerView>().ToArray();
    }

    /// <summary>
    /// Moves each session of the server to another its user may use: one at a time, from here rather
    /// than from the server grain, which each move calls back.
    /// </summary>
    public static async Task<EvacuationResponse> MoveSessionsAsync(this IGrainFactory grains, ServerView view, MoveReason reason)
    {
        var moved = new List<Guid>();
        var stayed = new List<Guid>();
        foreach (var peer in view.Peers)
        {
            (await grains.GetGrain<ISessionGrain>(peer.SessionId).Move(reason) ? moved : stayed).Add(peer.SessionId);
        }

        return new EvacuationResponse([.. moved], [.. stayed]);
    }
}
