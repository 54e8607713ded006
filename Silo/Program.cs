using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.Versions.Compatibility;
using Orleans.Versions.Selector;
using System.Security.Cryptography.X509Certificates;
using OrleansWg.Grains;
using OrleansWg.Grains.Servers;
using OrleansWg.Hosting;
using Npgsql;
using OrleansWg.Grains.Audit;
using OrleansWg.Silo;
using OrleansWg.Silo.Audit;
using OrleansWg.Silo.Schema;
using OrleansWg.Silo.Security;

MeterExport.Start();
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddSecretFiles();
var cluster = ClusterSettings.From(builder.Configuration);
var silo = builder.Configuration.GetValidated<SiloSettings>(SiloSettings.Section);

// "install-schema ROLE": an installation step, run with the database owner's login; the silos then
// run with ROLE's, which may not change the schema.
if (args is ["install-schema", var silosRole])
{
    await SchemaInstaller.ApplyAsync(cluster.ConnectionString, silosRole, CancellationToken.None);
    return;
}

if (silo.ApplySchema)
{
    await SchemaInstaller.ApplyAsync(cluster.ConnectionString, silos: null, CancellationToken.None);
}

var identity = ClusterIdentity.Load(cluster.Tls);
if (identity.NodeAuthority is null || !File.Exists(cluster.Tls.NodeAuthorityKey))
{
    throw new InvalidOperationException("A silo issues enrolled nodes their certificates: Cluster:Tls:NodeAuthority and Cluster:Tls:NodeAuthorityKey "
        + "(env Cluster__Tls__NodeAuthority, Cluster__Tls__NodeAuthorityKey) must name the node CA's certificate and key (scripts/lib/pki.sh pki_node_authority)");
}

builder.UseOrleans(orleans =>
{
    orleans.Configure<ClusterOptions>(options =>
    {
        options.ClusterId = cluster.ClusterId;
        options.ServiceId = cluster.ServiceId;
    });
    orleans.ConfigureEndpoints(IPAddress.Parse(silo.AdvertisedAddress), silo.SiloPort, silo.GatewayPort);
    // Silo links and client links alike: mutual TLS with the cluster CA's certificates, each link
    // open only to the roles it is for, and a role credential on every grain call, checked before the call runs.
    orleans.UseTls(identity.Certificate, identity.Configure);
    orleans.RequireRolesOnLinks();
    // Grain calls carry their caller's trace (Tracing), at no cost while nothing listens.
    orleans.AddActivityPropagation();
    orleans.AddOutgoingGrainCallFilter<CredentialSender>();
    orleans.AddIncomingGrainCallFilter<CallerRoleFilter>();
    orleans.UseAdoNetClustering(options =>
    {
        options.Invariant = ClusterSettings.AdoNetInvariant;
        options.ConnectionString = cluster.ConnectionString;
    });
    orleans.AddAdoNetGrainStorage(StorageNames.Database, options =>
    {
        options.Invariant = ClusterSettings.AdoNetInvariant;
        options.ConnectionString = cluster.ConnectionString;
        // A cleared state (a deleted user, a session past its retention) leaves no row behind.
        options.DeleteStateOnClear = true;
    });
    orleans.UseAdoNetReminderService(options =>
    {
        options.Invariant = ClusterSettings.AdoNetInvariant;
        options.ConnectionString = cluster.ConnectionString;
    });
    // The default directory loses the entries a dead silo held: their grains are deactivated on the
    // silos that live, and for a moment a second activation can run beside the first. This one
    // recovers them from the silos that live, so a grain keeps one activation through a silo's death.
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10, and what Orleans' own test clusters run
    orleans.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
    // Rolling upgrades (docs/operations.md, "Upgrades"): an activation serves callers of its
    // interface's [Version] and older ones, and a caller of a newer version gets a new activation on
    // a silo that has it; a new activation may go to any silo with a compatible version. These are
    // Orleans' defaults, set here because the upgrade procedure depends on them.
    orleans.Configure<GrainVersioningOptions>(options =>
    {
        options.DefaultCompatibilityStrategy = nameof(BackwardCompatible);
        options.DefaultVersionSelectorStrategy = nameof(AllCompatibleVersions);
    });
    // Collects what the Gateway's dashboard shows; the Gateway serves it, behind the admin token.
    orleans.AddDashboard();
});

// State is written with Orleans' own serializer, which the [GenerateSerializer] state records are made for.
builder.Services.AddOptions<AdoNetGrainStorageOptions>(StorageNames.Database)
    .Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
builder.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Default, (services, _) => new StorageFaultGuard(
    services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Database), services.GetRequiredService<ILogger<StorageFaultGuard>>()));
builder.Services.Configure<ReminderOptions>(builder.Configuration.GetSection("Reminders"));
// How fast a dead silo is found out; the tuned values are in appsettings.json, and why in docs/architecture.md ("When a part fails").
builder.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Membership"));
// A message's body is at most 16 MiB (Silo/appsettings.json), not Orleans' 100 MiB: a node's heartbeat
// carries its whole report, and a node must not make a silo read and hold a made-up one of any size.
builder.Services.Configure<SiloMessagingOptions>(builder.Configuration.GetSection("Messaging"));
// No lease on a dead silo's directory range: why, in docs/architecture.md ("When a part fails").
builder.Services.Configure<GrainDirectoryOptions>(builder.Configuration.GetSection("GrainDirectory"));
builder.Services.AddOrleansWgGrains(builder.Configuration);
builder.Services.AddSingleton(NpgsqlDataSource.Create(cluster.ConnectionString));
builder.Services.AddSingleton<PostgresAuditLog>();
builder.Services.AddSingleton<IAuditLog>(services => services.GetRequiredService<PostgresAuditLog>());
builder.Services.AddValidatedSettings<AuditOptions>(AuditOptions.Section);
builder.Services.AddHostedService<AuditRetention>();
builder.Services.AddMetricsListener();
builder.Services.AddOrleansWgTracing(builder.Configuration, "orleanswg-silo", tracing => tracing.AddNpgsql());
builder.Services.AddVersionLog();
builder.Services.AddSingleton(identity);
builder.Services.AddSingleton(new NodeCertificateIssuer(identity.Authority,
    X509Certificate2.CreateFromPemFile(cluster.Tls.NodeAuthority, cluster.Tls.NodeAuthorityKey)));

using var host = builder.Build();
host.Services.GetRequiredService<NodeDownMetrics>();
await MeterExport.BindInstrumentsAsync();
await host.RunAsync();
