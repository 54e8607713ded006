using OrleansWg.Hosting;
using OrleansWg.NodeHost;

MeterExport.Start();
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.UseOrleansClient(client => client.UseOrleansWgCluster(builder.Configuration, retryFor: TimeSpan.FromMinutes(2)));
builder.Services.AddNodeAgent();
builder.Services.AddMetricsListener();

await builder.Build().RunAsync();
