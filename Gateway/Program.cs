using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Dashboard;
using OpenTelemetry.Trace;
using OrleansWg;
using OrleansWg.Gateway;
using OrleansWg.Gateway.Admin;
using OrleansWg.Gateway.AdminConsole;
using OrleansWg.Gateway.Connect;
using OrleansWg.Gateway.Http;
using OrleansWg.Gateway.Mfa;
using OrleansWg.Gateway.Sso;
using OrleansWg.Gateway.Metrics;
using OrleansWg.Gateway.Sessions;
using OrleansWg.Hosting;

MeterExport.Start();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddSecretFiles();
builder.UseOrleansClient(client => client.UseOrleansWgCluster(builder.Configuration, retryFor: TimeSpan.FromMinutes(2)).AddDashboard());
builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations()
    .Validate(options => options.SessionSealKeys is { Length: > 0 } keys && keys.All(key => key.Length >= 32),
        "Gateway:SessionSealKeys: one key at least, each 32 characters or more").ValidateOnStart();
builder.Services.AddProblemDetails();
builder.Services.AddHealthApi(builder.Configuration);
builder.Services.AddVersionLog();
builder.Services.AddOrleansWgTracing(builder.Configuration, "orleanswg-gateway", tracing => tracing.AddAspNetCoreInstrumentation());
builder.Services.AddExceptionHandler<ClusterUnavailableHandler>();
builder.Services.AddExceptionHandler<UnreadableBodyHandler>();
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddRateLimits();
builder.Services.AddAdminAuthentication();
builder.Services.AddConsoleSso(builder.Configuration);
builder.Services.AddAntiforgery(options =>
{
    options.HeaderName = ConsoleCsrf.Header;
    options.Cookie.Name = "owg_csrf";
    options.Cookie.SameSite = SameSiteMode.Strict;
});
builder.Services.AddSingleton<RateLimitedLoginAudit>();
builder.Services.AddSingleton<FailedLoginBudget>();
builder.Services.AddHostedService<ClusterGauges>();
builder.Services.AddSingleton<SessionTokenSeal>();
builder.Services.AddSingleton<ConnectMetrics>();
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddOpenApi();
builder.Services.ConfigureHttpJsonOptions(options =>
    options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower)));

var app = builder.Build();
app.Services.GetRequiredService<ConnectMetrics>();
await MeterExport.BindInstrumentsAsync();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseConsoleCsrf();
app.UseBodySizeLimits();
app.UseRateLimiter();
app.MapOpenApi();
app.MapHealthApi();
app.MapConnectApi();
app.MapMfaApi();
app.MapSsoApi();
app.MapConsoleSso();
app.MapSessionApi();
app.MapBootstrap();
app.MapNodeEnrollmentApi();
app.MapAdminApi();
app.MapMetricsApi();
app.MapConsole();
// The dashboard shows grain state, password hashes included: only to the roles that may read it.
app.MapOrleansDashboard(ApiTokenAuthentication.DashboardPath).RequirePermission(AdminPermission.ReadDashboard);
app.Run();
