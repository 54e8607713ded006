using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansWg.Gateway;
using OrleansWg.Gateway.Admin;
using OrleansWg.Gateway.Connect;
using OrleansWg.Gateway.Http;
using OrleansWg.Gateway.Sessions;
using OrleansWg.Hosting;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.UseOrleansClient(client => client.UseOrleansWgCluster(builder.Configuration, retryFor: TimeSpan.FromMinutes(2)));
builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.ConfigureHttpJsonOptions(options =>
    options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower)));

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.MapHealthApi();
app.MapConnectApi();
app.MapSessionApi();
app.MapAdminApi();
app.Run();
