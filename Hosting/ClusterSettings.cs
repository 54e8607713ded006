using System.Net;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace OrleansWg.Hosting;

/// <summary>
/// How every OrleansWg process finds and joins the cluster: the PostgreSQL database (silos, and
/// clients without static gateways), the cluster id, and the process's identity for mutual TLS.
/// </summary>
public sealed class ClusterSettings
{
    public const string Section = "Cluster";

    /// <summary>The ADO.NET provider invariant Orleans loads Npgsql by.</summary>
    public const string AdoNetInvariant = "Npgsql";

    public string ClusterId { get; set; } = "owg";

    public string ServiceId { get; set; } = "owg";

    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The database login's password, kept out of the connection string so that it can come from a
    /// secret file (<see cref="SecretFiles"/>) while the rest of the connection string is plain configuration.
    /// </summary>
    public string DatabasePassword { get; set; } = "";

    /// <summary>
    /// Silo gateway endpoints (host:port) a client joins through instead of reading the database:
    /// a node needs no database login at all.
    /// </summary>
    public string[] Gateways { get; set; } = [];

    public ClusterTlsSettings Tls { get; set; } = new();

    /// <summary>
    /// How long a client waits for any one cluster call: the Gateway answers 503 past it, so it must
    /// outlast a connect's own work (a node call inside it is bounded by Placement:NodeCallTimeout).
    /// </summary>
    [Positive]
    public TimeSpan ClientCallTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often a client reads the list of live silos: how soon it uses a silo that (re)joined.</summary>
    [Positive]
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether a client reads the live silos from the database: it has no static <see cref="Gateways"/>.</summary>
    public bool ReadsSilosFromDatabase => Gateways.Length == 0;

    /// <param name="needsDatabase">A silo always does; a client only when it has no static gateways.</param>
    public static ClusterSettings From(IConfiguration configuration, bool needsDatabase = true)
    {
        var settings = configuration.GetValidated<ClusterSettings>(Section);
        settings.ConnectionString = configuration.GetConnectionString("Orleans") ?? "";
        if (settings.DatabasePassword.Length > 0 && settings.ConnectionString.Length > 0)
        {
            settings.ConnectionString = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Password = settings.DatabasePassword }.ConnectionString;
        }
        if ((needsDatabase || settings.ReadsSilosFromDatabase) && settings.ConnectionString.Length == 0)
        {
            throw new InvalidOperationException("ConnectionStrings:Orleans (env ConnectionStrings__Orleans) is not set, nor Cluster:Gateways");
        }

        return settings;
    }

    public IPEndPoint[] GatewayEndpoints() => [.. Gateways.Select(gateway => IPEndPoint.TryParse(gateway, out var endpoint) && endpoint.Port > 0
        ? endpoint
        : throw new InvalidOperationException($"Cluster:Gateways: '{gateway}' is not an address:port"))];
}
