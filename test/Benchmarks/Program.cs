using System.Net.Http.Json;
using System.Text.Json;
using OrleansWg.Benchmarks;
using OrleansWg.Grains.Users;
using OrleansWg.TestStack;

// Figures from one run on this machine: compare the ratios, not the absolute times.
const int Samples = 200;
const string Password = "benchmark password";

var hash = PasswordHash.Create(Password);
var verify = await Latencies.Measure("Argon2id verify (m=19 MiB, t=2, p=1)", 5, Samples,
    () => Task.FromResult(PasswordHash.Verify(Password, hash)));

await using var plane = await ControlPlane.StartAsync(new() { ["Logging__LogLevel__Default"] = "Warning" });
(await plane.Admin.PostAsJsonAsync("/v1/admin/users", new { username = "bench", password = Password })).EnsureSuccessStatusCode();
var live = await Connect();

JsonElement session = default;
var warmConnect = await Latencies.Measure("POST /v1/connect, user with a live session there", 10, Samples,
    async () => session = await Connect(),
    async () => (await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Delete, session))).EnsureSuccessStatusCode());

var refused = await Latencies.Measure("POST /v1/connect, unknown user (verify, no session)", 10, Samples,
    async () => await plane.Http.PostAsJsonAsync("/v1/connect", new { username = "nobody", password = Password }));

Console.WriteLine(verify);
Console.WriteLine(refused);
Console.WriteLine(warmConnect);
Console.WriteLine($"{"warm connect p50 / verify p50",-48} {warmConnect.P50 / verify.P50,8:F2}");
Console.WriteLine($"{"warm connect p50 - verify p50 (target <= 10 ms)",-48} {warmConnect.P50 - verify.P50,8:F2} ms");
(await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Delete, live))).EnsureSuccessStatusCode();

async Task<JsonElement> Connect()
{
    var response = await plane.Http.PostAsJsonAsync("/v1/connect", new { username = "bench", password = Password });
    response.EnsureSuccessStatusCode();
    return await response.Content.ReadFromJsonAsync<JsonElement>();
}
