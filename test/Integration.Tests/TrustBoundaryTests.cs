using System.Net;
using System.Text;
using System.Text.Json;

namespace OrleansWg.Integration.Tests;

/// <summary>What a connected user, a hostile gateway or a look at ps cannot get at.</summary>
public sealed class TrustBoundaryTests
{
    [Fact]
    public async Task A_session_container_is_read_only_unprivileged_and_limited_and_a_forged_owner_record_gains_nothing()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.CreateUser("tenant");
        await plane.CreateUser("victim");
        var tenant = await plane.ConnectOk("tenant");
        var container = plane.UserContainer("tenant");

        var inspected = JsonDocument.Parse(await Command.Run("docker", "inspect", "--format", "{{json .HostConfig}}", container)).RootElement;
        var writeRoot = await Command.Try("docker", null, "exec", container, "touch", "/etc/owg-was-here");
        await Command.Run("docker", "exec", container, "sh", "-c", "echo victim > /run/wireguard/owner");
        await Task.Delay(TimeSpan.FromSeconds(3)); // a few heartbeats: each reconciles against a fresh read of Docker
        var victim = await plane.ConnectOk("victim");

        Assert.True(inspected.GetProperty("ReadonlyRootfs").GetBoolean());
        Assert.Contains("no-new-privileges:true", inspected.GetProperty("SecurityOpt").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(64, inspected.GetProperty("PidsLimit").GetInt64());
        Assert.Equal(128L * 1024 * 1024, inspected.GetProperty("Memory").GetInt64());
        Assert.Equal(["NET_ADMIN"], inspected.GetProperty("CapAdd").EnumerateArray().Select(c => c.GetString()));
        Assert.NotEqual(0, writeRoot.ExitCode);
        Assert.NotEqual(tenant.GetProperty("endpoint").GetString(), victim.GetProperty("endpoint").GetString());
        Assert.Contains(await Docker.ContainersAsync(plane.ServerId), c => c.Name == plane.UserContainer("victim"));
        Assert.Equal("active", (await plane.SessionStatus(tenant)).Status);
    }

    [Fact]
    public async Task A_full_tunnel_client_reaches_the_internet_but_not_the_nodes_host_a_blocked_range_or_anything_outside_the_tunnel_over_IPv6()
    {
        await using var site = await InternetHost.CreateAsync();
        await using var blocked = await InternetHost.CreateAsync();
        await using var plane = await ControlPlane.StartAsync(new() { ["Node__BlockedDestinations"] = $"{blocked.Address}/32" });
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var owg = plane.Owg(client);
        await plane.CreateUser("fenced");
        var bridgeGateway = plane.Nodes[0].ContainerSubnet.Replace(".0/24", ".1");
        Assert.Equal(0, (await Command.Try("curl", null, "-fsS", "--max-time", "5", "-o", "/dev/null", blocked.Url)).ExitCode);

        var connect = await owg.Connect("fenced");
        Assert.True(connect.ExitCode == 0, connect.Error);

        Assert.True(await client.CanFetchAsync(site.Url));
        Assert.False(await client.CanFetchAsync(blocked.Url));
        Assert.False(await client.PingAsync(bridgeGateway));
        Assert.Contains($"dev {client.Interface}", (await client.TryAsync(null, "ip", "-6", "route", "get", "2001:db8::1")).Output);
        var chain = (await Command.Run("iptables", "-S", "DOCKER-USER")).Split('\n')
            .Single(rule => rule.StartsWith($"-A DOCKER-USER -s {plane.Nodes[0].ContainerSubnet} -j OWGF-")).Split(' ')[^1];
        Assert.Contains("-d 169.254.0.0/16 -j DROP", await Command.Run("iptables", "-S", chain));
    }

    [Fact]
    public async Task Owg_builds_its_config_itself_so_a_gateways_PostUp_never_runs_and_a_field_with_a_config_line_in_it_is_refused()
    {
        var marker = $"/tmp/owg-postup-{Guid.NewGuid():N}";
        await using var stub = await StubGateway.StartAsync(
            first => first with { Config = $"[Interface]\nPostUp = touch {marker}\nAddress = 100.64.0.2/32\n" },
            second => second with { Endpoint = $"{ControlPlane.NodePublicAddress}:51820\nPostUp = touch {marker}" });
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var owg = new OwgClient(client, stub.Url);

        var ignoringConfig = await owg.Connect("anyone");
        var hasInterface = await client.HasInterfaceAsync();
        await owg.Disconnect();
        var refused = await owg.Connect("anyone");

        Assert.True(ignoringConfig.ExitCode == 0, ignoringConfig.Error);
        Assert.True(hasInterface);
        Assert.Equal((1, "owg: the gateway's answer has an invalid endpoint: refusing to use it\n"), (refused.ExitCode, refused.Error));
        Assert.False(await client.HasInterfaceAsync());
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Owg_refuses_to_send_a_password_over_plain_http_to_a_gateway_that_is_not_loopback_and_checks_the_gateways_certificate()
    {
        await using var plane = await ControlPlane.StartAsync();
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        await plane.CreateUser("careful");
        using var stranger = Pki.Create();
        await stranger.WebAsync(ControlPlane.NodePublicAddress);

        var plainHttp = await new OwgClient(client, $"http://{ControlPlane.NodePublicAddress}:8080", insecureHttp: false).Connect("careful");
        var untrusted = await new OwgClient(client, plane.GatewayUrlForClients, Path.Combine(stranger.Directory, "web.pem")).Connect("careful");
        var trusted = await plane.Owg(client).Connect("careful");

        Assert.Equal((1, $"owg: refusing to send a password over plain HTTP to http://{ControlPlane.NodePublicAddress}:8080: use https://, or --insecure-http\n"),
            (plainHttp.ExitCode, plainHttp.Error));
        Assert.Equal(1, untrusted.ExitCode);
        Assert.True(trusted.ExitCode == 0, trusted.Error);
    }

    [Fact]
    public async Task No_password_private_key_or_session_token_appears_in_the_arguments_of_any_program_owg_connect_runs()
    {
        await using var plane = await ControlPlane.StartAsync();
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var owg = plane.Owg(client);
        await plane.CreateUser("secretive");
        var (executions, exitCode) = await owg.ConnectTraced("secretive");
        Assert.Equal(0, exitCode);
        var session = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(client.StateDirectory, $"{client.Interface}.session"))).RootElement;
        var privateKey = (await File.ReadAllLinesAsync(Path.Combine(client.StateDirectory, $"{client.Interface}.conf")))
            .Single(line => line.StartsWith("PrivateKey = "))["PrivateKey = ".Length..];
        await owg.Disconnect();

        Assert.Contains(executions, line => line.Contains("execve(\"/usr/bin/curl\""));
        Assert.DoesNotContain(executions, line => line.Contains(ApiClient.Password));
        Assert.DoesNotContain(executions, line => line.Contains(privateKey));
        Assert.DoesNotContain(executions, line => line.Contains(session.GetProperty("sessionToken").GetString()!));
    }
}
