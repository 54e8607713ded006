using Microsoft.Extensions.Configuration;

namespace OrleansWg.Hosting;

/// <summary>How every OrleansWg process finds the cluster: one PostgreSQL database, one cluster id.</summary>
public sealed class ClusterSettings
{
    public const string Section = "Cluster";

    /// <summary>The ADO.NET provider invariant Orleans loads Npgsql by.</summary>
    public const string AdoNetInvariant = "Npgsql";

    public string ClusterId { get; set; } = "owg";

    public string ServiceId { get; set; } = "owg";

    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// How long a client waits for any one cluster call: the Gateway answers 503 past it, so it must
    /// outlast a connect's own work (a node call inside it is bounded by Placement:NodeCallTimeout).
    /// </summary>
    public TimeSpan ClientCallTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often a client reads the list of live silos: how soon it uses a silo that (re)joined.</summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(10);

    public static ClusterSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<ClusterSettings>() ?? new ClusterSettings();
        settings.ConnectionString = configuration.GetConnectionString("Orleans")
            ?? throw new InvalidOperationException("ConnectionStrings:Orleans (env ConnectionStrings__Orleans) is not set");
        return settings;
    }
}
