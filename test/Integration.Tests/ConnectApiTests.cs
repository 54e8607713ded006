using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace OrleansWg.Integration.Tests;

[Collection(ControlPlaneCollection.Name)]
public sealed class ConnectApiTests(ControlPlaneFixture fixture)
{
    private readonly ControlPlane plane = fixture.Plane;
    private readonly string user = $"u{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task Connect_returns_a_session_whose_config_the_real_wg_quick_and_wg_accept()
    {
        await plane.CreateUser(user);

        var session = await plane.ConnectOk(user);

        Assert.Equal(plane.ServerId, session.GetProperty("server").GetString());
        var endpoint = session.GetProperty("endpoint").GetString()!;
        Assert.StartsWith($"{ControlPlane.NodePublicAddress}:", endpoint);
        await using var wireguard = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses);
        var applied = await wireguard.ApplyWgQuickConfig(session.GetProperty("config").GetString()!);
        Assert.Contains($"PublicKey = {session.GetProperty("serverPublicKey").GetString()}", applied);
        Assert.Contains($"Endpoint = {endpoint}", applied);
        Assert.Contains("AllowedIPs = 0.0.0.0/0, ::/0", applied);
        Assert.Contains("PrivateKey = ", applied);
    }

    [Fact]
    public async Task Connect_with_a_wrong_password_returns_401_with_the_same_body_as_for_an_unknown_user()
    {
        await plane.CreateUser(user);

        var wrongPassword = await plane.Connect(user, "not the password");
        var unknownUser = await plane.Connect($"x{user}");

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.StatusCode);
        Assert.Equal("application/problem+json", wrongPassword.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await wrongPassword.ProblemWithoutTrace(), await unknownUser.ProblemWithoutTrace());
        Assert.Empty((await plane.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/admin/users/{user}")).GetProperty("sessions").EnumerateArray());
    }

    [Theory]
    [InlineData("/v1/connect", false)]
    [InlineData("/v1/admin/users", true)]
    public async Task A_body_of_json_null_is_a_400_validation_problem_not_a_500(string path, bool asAdmin)
    {
        var client = asAdmin ? plane.Admin : plane.Http;

        var response = await client.PostAsync(path, new StringContent("null", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Connects_with_one_Idempotency_Key_come_to_one_session_and_a_malformed_key_is_a_400()
    {
        await plane.CreateUser(user);
        var publicKey = WireGuardKey.CreatePair().PublicKey;

        var first = await ConnectWithKey("same-key-1", publicKey);
        var again = await ConnectWithKey("same-key-1", publicKey);
        var malformed = await ConnectWithKey("not a key!", publicKey);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((await first.Json()).GetProperty("sessionId").GetString(), (await again.Json()).GetProperty("sessionId").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("Idempotency-Key", (await malformed.Json()).GetProperty("detail").GetString());
        Assert.Single((await plane.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/admin/users/{user}")).GetProperty("sessions").EnumerateArray());
    }

    [Fact]
    public async Task Logins_beyond_the_burst_of_one_address_get_429_with_a_retry_after_while_another_address_still_logs_in()
    {
        await using var limited = await ControlPlane.StartAsync(new() { ["Gateway__LoginBurst"] = "3", ["Gateway__LoginsPerMinute"] = "1" });
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await limited.Connect(user)).StatusCode);
        }

        var refused = await limited.Connect(user);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        await using var elsewhere = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var fromElsewhere = await elsewhere.TryAsync(null, "curl", "-sS", "--max-time", "10", "--cacert", limited.GatewayCertificate, "-o", "/dev/null", "-w", "%{http_code}",
            "-H", "Content-Type: application/json", "-d", $"{{\"username\":\"{user}\",\"password\":\"x\"}}", $"{limited.GatewayUrlForClients}/v1/connect");
        Assert.Equal("401", fromElsewhere.Output.Trim());
        var owg = limited.Owg(elsewhere);
        await owg.Connect(user, "not the password");
        await owg.Connect(user, "not the password");
        var overTheRate = await owg.Connect(user);
        Assert.Equal(1, overTheRate.ExitCode);
        Assert.Matches("^owg: too many logins from this address; try again in [0-9]+ seconds\n$", overTheRate.Error);
    }

    [Theory]
    [InlineData("--http1.1")]
    [InlineData("--http2")]
    public async Task A_body_of_unknown_length_past_the_limit_gets_413(string protocol)
    {
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var body = $"{{\"username\":\"{new string('a', 300_000)}\"}}";

        var answer = await client.TryAsync(body, "curl", "-sS", "--max-time", "10", protocol, "--cacert", plane.GatewayCertificate, "-o", "/dev/null",
            "-w", "%{http_code}", "-H", "Content-Type: application/json", "-H", "Transfer-Encoding: chunked", "--data-binary", "@-",
            $"{plane.GatewayUrlForClients}/v1/connect");

        Assert.Equal("413", answer.Output.Trim());
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_user_with_429_and_a_retry_after()
    {
        await plane.CreateUser(user);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await plane.Connect(user, "not the password")).StatusCode);
        }

        var locked = await plane.Connect(user);

        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{not json")]
    [InlineData("{\"username\":\"alice\",\"password\":\"pw\",\"publicKey\":\"not a key\"}")]
    [InlineData("{\"password\":\"pw\"}")]
    public async Task A_malformed_connect_request_returns_400_problem_details(string body)
    {
        var response = await plane.Http.PostAsync("/v1/connect", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Connect_asking_for_a_server_the_user_may_not_use_returns_403()
    {
        await plane.CreateUser(user);

        var response = await plane.Http.PostAsJsonAsync("/v1/connect", new { username = user, password = ApiClient.Password, server = "node-9" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Connect_with_no_permitted_server_returns_503()
    {
        await plane.CreateUser(user);
        await plane.Admin.PutAsJsonAsync($"/v1/admin/users/{user}/permissions", new { groups = new[] { "nowhere" } });

        var response = await plane.Connect(user);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_session_is_readable_with_its_token_only_and_a_second_disconnect_is_a_no_op()
    {
        await plane.CreateUser(user);
        var session = await plane.ConnectOk(user);

        var status = await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Get, session));
        var withoutToken = await plane.Http.GetAsync($"/v1/sessions/{session.GetProperty("sessionId").GetString()}");
        var first = await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Delete, session));
        var second = await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Delete, session));
        var closed = await (await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Get, session))).Json();

        Assert.Equal("active", (await status.Json()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (first.StatusCode, second.StatusCode));
        Assert.Equal(("closed", "client"), (closed.GetProperty("status").GetString(), closed.GetProperty("closeReason").GetString()));
    }

    private Task<HttpResponseMessage> ConnectWithKey(string key, string publicKey) => plane.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/connect")
    {
        Content = JsonContent.Create(new { username = user, password = ApiClient.Password, publicKey }),
        Headers = { { "Idempotency-Key", key } },
    });
}
