using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansWg.Integration.Tests;

/// <summary>The HTTP calls the tests make, as a user and as an admin would.</summary>
public static class ApiClient
{
    public const string Password = "correct horse battery";

    public static async Task CreateUser(this ControlPlane plane, string user, string password = Password)
    {
        var response = await plane.Admin.PostAsJsonAsync("/v1/admin/users", new { username = user, password });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    public static Task<HttpResponseMessage> Connect(this ControlPlane plane, string user, string password = Password, string? publicKey = null) =>
        plane.Http.PostAsJsonAsync("/v1/connect", new { username = user, password, publicKey });

    public static async Task<JsonElement> ConnectOk(this ControlPlane plane, string user)
    {
        var response = await plane.Connect(user);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The code of a TOTP secret <paramref name="steps"/> 30-second steps from now, as an authenticator app shows it then.</summary>
    public static string OtpCode(string secret, int steps = 0) =>
        new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(steps * 30));

    /// <returns>The TOTP secret of the user's enrollment in MFA, begun as owg mfa enroll begins it.</returns>
    public static async Task<string> BeginMfa(this ControlPlane plane, string user)
    {
        var response = await plane.Http.PostAsJsonAsync("/v1/mfa/enroll", new { username = user, password = Password });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Json()).GetProperty("secret").GetString()!;
    }

    /// <summary>Confirms the enrollment with this step's code of <paramref name="secret"/>.</summary>
    /// <returns>The user's recovery codes.</returns>
    public static async Task<string[]> ConfirmMfa(this ControlPlane plane, string user, string secret)
    {
        var response = await plane.Http.PostAsJsonAsync("/v1/mfa/confirm", new { username = user, password = Password, code = OtpCode(secret) });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Json()).GetProperty("recoveryCodes").EnumerateArray().Select(code => code.GetString()!)];
    }

    /// <summary>The interface address every container of a node has: the first of its tunnel pool.</summary>
    public const string ContainerTunnelAddress = "100.64.0.1";

    public static string UserContainer(this ControlPlane plane, string user) => $"{plane.ClusterId}.{plane.ServerId}-u-{user}";

    /// <summary>The tunnel addresses of the user's live sessions, as the admin API lists them.</summary>
    public static async Task<IReadOnlyList<string>> ConnectedAddressesAsync(this ControlPlane plane, string user) =>
        [.. (await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/sessions")).EnumerateArray()
            .Where(session => session.GetProperty("user").GetString() == user && session.GetProperty("status").GetString() == "active")
            .Select(session => session.GetProperty("address").GetString()!.Split('/')[0])];

    public static async Task<JsonElement> Json(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Why a connect found no server, as an admin reads it: the failed session the user's 503 names.</summary>
    public static async Task<string?> FailureCauseOf(this ControlPlane plane, HttpResponseMessage failedConnect)
    {
        var problem = await failedConnect.Json();
        Assert.Equal("no-server-available", problem.GetProperty("code").GetString());
        var session = await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/sessions/{problem.GetProperty("sessionId").GetString()}");
        return session.GetProperty("failureCause").GetString();
    }

    /// <summary>owg in <paramref name="client"/>, pointed at the plane's Gateway over HTTPS.</summary>
    public static OwgClient Owg(this ControlPlane plane, ClientNamespace client, IReadOnlyDictionary<string, string>? settings = null) =>
        new(client, plane.GatewayUrlForClients, plane.GatewayCertificate, settings: settings);

    /// <summary>A ProblemDetails body without its traceId, which differs from request to request.</summary>
    public static async Task<string> ProblemWithoutTrace(this HttpResponseMessage response) =>
        JsonSerializer.Serialize((await response.Json()).EnumerateObject().Where(p => p.Name != "traceId").ToDictionary(p => p.Name, p => p.Value));

    /// <summary>A session of <paramref name="user"/> and a client namespace with its tunnel up and a route to its container.</summary>
    public static async Task<(JsonElement Session, ClientNamespace Client)> ConnectedClientAsync(this ControlPlane plane, string user)
    {
        var session = await plane.ConnectOk(user);
        var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses);
        try
        {
            await client.BringUpAsync(session.GetProperty("config").GetString()!, session.GetProperty("address").GetString()!,
                ContainerTunnelAddress);
            return (session, client);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>The session's status and close reason, as its own client asks for them.</summary>
    public static async Task<(string? Status, string? Reason)> SessionStatus(this ControlPlane plane, JsonElement session)
    {
        using var response = await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Get, session));
        Assert.True(response.IsSuccessStatusCode, $"session {session.GetProperty("sessionId")}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var view = await response.Json();
        return (view.GetProperty("status").GetString(), view.GetProperty("closeReason").GetString());
    }

    /// <summary>Waits until no reminder is left: every session has ended and been forgotten once its Sessions__ClosedRetention was over.</summary>
    public static Task WaitForEndedSessionsForgotten(this ControlPlane plane) => plane.WaitFor(
        async () => await plane.Database.Scalar<long>("SELECT count(*) FROM OrleansRemindersTable") == 0
            && await plane.Database.Scalar<long>("SELECT count(*) FROM OrleansStorage WHERE GrainTypeString LIKE '%session%'") == 0,
        "every ended session to be forgotten, its reminder and state gone");
}
