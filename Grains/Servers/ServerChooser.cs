namespace OrleansWg.Grains.Servers;

/// <summary>
/// The placement rule: of the permitted servers that are up, not draining and below capacity,
/// the least loaded first (ties at random), except that a server where the user already has a
/// container comes first while its load is within the slack of the best.
/// </summary>
public static class ServerChooser
{
    public static Placement Rank(
        IEnumerable<ServerSummary> servers, PlacementRequest request, DateTimeOffset now, PlacementOptions options, Random random)
    {
        var permitted = servers.Where(server => request.Permissions.Permits(server.Id, server.Group) && server.Id != request.Excluded).ToList();
        if (request.RequestedServer is { } wanted)
        {
            permitted = permitted.Where(server => server.Id == wanted).ToList();
            if (permitted.Count == 0)
            {
                return new Placement([], PlacementFailure.NotPermitted);
            }
        }

        var open = permitted
            .Where(server => now - server.LastSeen < options.NodeDownAfter && !server.Draining && server.Sessions < server.Capacity)
            .Select(server => (server.Id, Load: (double)server.Sessions / server.Capacity, Tie: random.Next()))
            .OrderBy(candidate => candidate.Load).ThenBy(candidate => candidate.Tie)
            .ToList();
        if (open.Count == 0)
        {
            return new Placement([], PlacementFailure.NoneAvailable);
        }

        var bestLoad = open[0].Load;
        var home = open.FindIndex(candidate =>
            request.HomeServers.Contains(candidate.Id) && candidate.Load <= bestLoad + options.HomeSlack);
        if (home > 0)
        {
            var preferred = open[home];
            open.RemoveAt(home);
            open.Insert(0, preferred);
        }

        return new Placement([.. open.Select(candidate => candidate.Id)], null);
    }
}
