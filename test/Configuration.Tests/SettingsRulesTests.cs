using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansWg.Gateway;
using OrleansWg.Grains;
using OrleansWg.Hosting;
using OrleansWg.NodeHost;
using OrleansWg.Silo;

namespace OrleansWg.Configuration.Tests;

/// <summary>
/// The rules settings are held to as a process starts: each rule refuses a wrong setting with a
/// message that names every setting it compares, and the defaults pass them all.
/// </summary>
public sealed class SettingsRulesTests
{
    private const string ValidGateway = "Gateway:BootstrapToken=a-bootstrap-token-of-this-test;Gateway:SessionSealKeys:0=a-session-seal-key-of-32-characters-or-more";
    private const string ValidNode = "Node:ServerId=node-1;Node:PublicAddress=192.0.2.1";

    [Fact]
    public void Every_process_starts_with_the_default_settings()
    {
        StartSilo("");
        StartGateway(ValidGateway);
        StartNode(ValidNode);
        Assert.Equal(11111, Configuration("").GetValidated<SiloSettings>(SiloSettings.Section).SiloPort);
    }

    [Fact]
    public void Placement_NodeDownAfter_shorter_than_three_default_alive_intervals_fails_at_start()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => StartSilo("Placement:NodeDownAfter=00:00:02.900"));

        Assert.Contains("Placement:NodeDownAfter (00:00:02.9000000) must be at least 3 x Node:AliveInterval (default 00:00:01), 00:00:03", failure.Message);
    }

    [Fact]
    public void Placement_NodeRestartGrace_shorter_than_NodeDownAfter_fails_at_start()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => StartSilo("Placement:NodeDownAfter=00:00:10;Placement:NodeRestartGrace=00:00:09"));

        Assert.Contains("Placement:NodeRestartGrace (00:00:09) must be no shorter than Placement:NodeDownAfter (00:00:10)", failure.Message);
    }

    [Theory]
    [InlineData("Placement:NodeCallTimeout")]
    [InlineData("Placement:ContainerStartTimeout")]
    public void A_wait_for_a_node_as_long_as_Orleans_response_timeout_fails_at_start(string setting)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => StartSilo($"{setting}=00:00:30"));

        Assert.Contains($"{setting} (00:00:30) must be shorter than Orleans' Messaging:ResponseTimeout (00:00:30)", failure.Message);
    }

    [Fact]
    public void Gateway_ConnectAttemptTimeout_longer_than_ConnectTimeout_fails_at_start()
    {
        var failure = Assert.Throws<OptionsValidationException>(() =>
            StartGateway($"{ValidGateway};Gateway:ConnectAttemptTimeout=00:00:05;Gateway:ConnectTimeout=00:00:04"));

        Assert.Contains("Gateway:ConnectAttemptTimeout (00:00:05) must be no longer than Gateway:ConnectTimeout (00:00:04)", failure.Message);
    }

    [Fact]
    public void Gateway_session_seal_keys_shorter_than_32_characters_fail_at_start()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => StartGateway($"{ValidGateway};Gateway:SessionSealKeys:1=short"));

        Assert.Contains("Gateway:SessionSealKeys: each key 32 characters or more", failure.Message);
    }

    [Fact]
    public void Node_PortMin_above_PortMax_fails_at_start()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => StartNode($"{ValidNode};Node:PortMin=52000;Node:PortMax=51999"));

        Assert.Contains("Node:PortMin (52000) must not be above Node:PortMax (51999)", failure.Message);
    }

    [Fact]
    public void Node_settings_with_a_zero_alive_interval_fail_at_start()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => StartNode($"{ValidNode};Node:AliveInterval=00:00:00"));

        Assert.Contains("AliveInterval must be above zero", failure.Message);
    }

    [Fact]
    public void Silo_settings_with_an_advertised_address_that_is_no_IP_address_fail_as_they_are_read()
    {
        var failure = Assert.Throws<OptionsValidationException>(() =>
            Configuration("Silo:AdvertisedAddress=silo1").GetValidated<SiloSettings>(SiloSettings.Section));

        Assert.Contains("Silo:AdvertisedAddress ('silo1') must be an IP address", failure.Message);
    }

    [Fact]
    public void Cluster_settings_with_a_negative_call_timeout_fail_as_they_are_read()
    {
        var failure = Assert.Throws<OptionsValidationException>(() =>
            ClusterSettings.From(Configuration("ConnectionStrings:Orleans=Host=db;Cluster:ClientCallTimeout=-00:00:01")));

        Assert.Contains("ClientCallTimeout must be above zero", failure.Message);
    }

    private static IConfiguration Configuration(string settings) => new ConfigurationBuilder()
        .AddInMemoryCollection(settings.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(setting => setting.Split('=', 2)).Select(pair => new KeyValuePair<string, string?>(pair[0], pair[1])))
        .Build();

    private static void StartSilo(string settings) =>
        Start(settings, (services, configuration) => services.AddOrleansWgGrains(configuration));

    private static void StartGateway(string settings) =>
        Start(settings, (services, _) => services.AddValidatedSettings<GatewayOptions>(GatewayOptions.Section));

    private static void StartNode(string settings) =>
        Start(settings, (services, _) => services.AddNodeAgent());

    /// <summary>What a host does with its settings as it starts: the checks of every options class marked ValidateOnStart.</summary>
    private static void Start(string settings, Action<IServiceCollection, IConfiguration> register)
    {
        var configuration = Configuration(settings);
        var services = new ServiceCollection().AddSingleton(configuration);
        register(services, configuration);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
    }
}
