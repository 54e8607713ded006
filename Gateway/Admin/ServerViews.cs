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
}
