using System.Net.Http.Json;
using System.Text.Json;
using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>The HTTP calls the benchmarks time.</summary>
public static class Gateway
{
    public const string Password = "benchmark password";

    public static async Task CreateUser(this ControlPlane plane, string user) =>
        (await plane.Admin.PostAsJsonAsync("/v1/admin/users", new { username = user, password = Password })).EnsureSuccessStatusCode();

    public static async Task<JsonElement> Connect(this ControlPlane plane, string user)
    {
        var response = await plane.Http.PostAsJsonAsync("/v1/connect", new { username = user, password = Password });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A login with a wrong password: the same password check as a connect, and no session.</summary>
    /// <param name="from">A client of the plane's Gateway from an address of its own; the plane's own when null.</param>
    public static async Task RefusedLogin(this ControlPlane plane, string user, HttpClient? from = null)
    {
        using var response = await (from ?? plane.Http).PostAsJsonAsync("/v1/connect", new { username = user, password = "not " + Password });
        if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized)
        {
            throw new InvalidOperationException($"a wrong password got {(int)response.StatusCode}, not 401");
        }
    }

    public static async Task Disconnect(this ControlPlane plane, JsonElement session) =>
        (await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Delete, session))).EnsureSuccessStatusCode();

    /// <summary>Waits until the user grain has seen the user's other sessions end.</summary>
    public static Task WaitForSessions(this ControlPlane plane, string user, int count) => plane.WaitFor(
        async () => (await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/users/{user}")).GetProperty("sessions").GetArrayLength() == count,
        $"the user grain of {user} to see its sessions end");
}
