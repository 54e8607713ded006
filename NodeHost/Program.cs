using OrleansWg.Hosting;
using OrleansWg.NodeHost;
using OrleansWg.NodeHost.Convergence;
using OrleansWg.NodeHost.Enrollment;

MeterExport.Start();
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddSecretFiles();
var owner = NodeOwner.From(builder.Configuration);
owner.ClaimStateDirectory(builder.Configuration.GetValidated<NodeOptions>(NodeOptions.Section).StateDirectory);
var (identity, enrolled) = await NodeIdentitySource.LoadAsync(builder.Configuration, CancellationToken.None);
builder.UseOrleansClient(client => client.UseOrleansWgCluster(builder.Configuration, retryFor: TimeSpan.FromMinutes(2), identity));
if (enrolled is not null)
{
    builder.Services.AddSingleton(enrolled);
    builder.Services.AddHostedService<CertificateRenewal>();
}

builder.Services.AddSingleton(owner);
builder.Services.AddNodeAgent();
builder.Services.AddMetricsListener();
builder.Services.AddOrleansWgTracing(builder.Configuration, "orleanswg-node");
builder.Services.AddVersionLog();

using var host = builder.Build();
host.Services.GetRequiredService<ConvergenceMetrics>();
host.Services.GetRequiredService<OrleansWg.NodeHost.Dns.ResolverStatistics>();
await MeterExport.BindInstrumentsAsync();
await host.RunAsync();
