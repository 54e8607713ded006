using System.Diagnostics.Metrics;

namespace OrleansWg.Grains.Servers;

/// <summary>How often servers called their nodes down, by server: in a run where no node died, none should have.</summary>
public sealed class NodeDownMetrics
{
    private readonly Counter<long> downs;

    public NodeDownMetrics(IMeterFactory meters) =>
        downs = meters.Create(Telemetry.Name).CreateCounter<long>("server.node.downs", description: "Times a server called its node down, by server.");

    public void CalledDown(string serverId) => downs.Add(1, new KeyValuePair<string, object?>("server", serverId));
}
