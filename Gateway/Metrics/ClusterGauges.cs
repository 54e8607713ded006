using System.Diagnostics.Metrics;
using OrleansWg.Gateway.Admin;

namespace OrleansWg.Gateway.Metrics;

/// <summary>
/// The servers' state and the cluster's online users and active sessions, as .NET meter gauges.
/// Read from the server grains every <see cref="Period"/> rather than on each scrape: a gauge's
/// callback cannot wait for the cluster. Labels are server and group only, never a user or session.
/// </summary>
public sealed class ClusterGauges : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    private readonly IGrainFactory grains;
    private readonly ILogger<ClusterGauges> logger;
    private ServerView[] servers = [];

    public ClusterGauges(IMeterFactory meters, IGrainFactory grains, ILogger<ClusterGauges> logger)
    {
        this.grains = grains;
        this.logger = logger;
        var meter = meters.Create(ConnectMetrics.MeterName);
        PerServer(meter, "server.up", "1 when the server's node is connected and sends heartbeats.", view => view.Connected ? 1 : 0);
        PerServer(meter, "server.draining", "1 when the server takes no new sessions.", view => view.Draining ? 1 : 0);
        PerServer(meter, "server.sessions", "Sessions on the server.", view => view.Peers.Length);
        PerServer(meter, "server.capacity", "Sessions the server may hold.", view => view.Registration.Capacity);
        meter.CreateObservableGauge("sessions.active", () => servers.Sum(view => view.Peers.Length), description: "Sessions with a peer on a server.");
        meter.CreateObservableGauge("users.online", () => servers.SelectMany(view => view.Peers).Select(peer => peer.User).Distinct().Count(),
            description: "Users with at least one active session.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                servers = await grains.DescribeServersAsync();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogDebug(exception, "The cluster gauges keep their last values: the cluster did not answer");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private void PerServer(Meter meter, string name, string description, Func<ServerView, int> value) =>
        meter.CreateObservableGauge(name, () => servers.Select(view => new Measurement<int>(value(view),
            new KeyValuePair<string, object?>("server", view.Id), new KeyValuePair<string, object?>("group", view.Registration.Group))),
            description: description);
}
