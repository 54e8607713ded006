using System.Net;
using System.Text.Json;

namespace OrleansWg.Integration.Tests;

/// <summary>
/// A hostile gateway for the client's tests: on 198.18.5.9 (added to lo, which client namespaces
/// route to), it answers each connect with a valid-looking answer that the next of its
/// <c>tamper</c> functions changed, and every disconnect with 204.
/// </summary>
public sealed class StubGateway : IAsyncDisposable
{
    private const string Address = "198.18.5.9";

    private readonly HttpListener listener = new();
    private readonly Func<ConnectAnswer, ConnectAnswer>[] tamper;
    private readonly Task serving;
    private int connects;

    private StubGateway(int port, Func<ConnectAnswer, ConnectAnswer>[] tamper)
    {
        this.tamper = tamper;
        Url = $"http://{Address}:{port}";
        listener.Prefixes.Add(Url + "/");
        listener.Start();
        serving = ServeAsync();
    }

    public string Url { get; }

    public static async Task<StubGateway> StartAsync(params Func<ConnectAnswer, ConnectAnswer>[] tamper)
    {
        await Command.Run("ip", "addr", "add", $"{Address}/32", "dev", "lo");
        return new StubGateway(FreePort.Next(), tamper);
    }

    public async ValueTask DisposeAsync()
    {
        listener.Close();
        await serving.ContinueWith(_ => { }, TaskScheduler.Default);
        await Command.Run("ip", "addr", "del", $"{Address}/32", "dev", "lo");
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            var context = await listener.GetContextAsync();
            if (context.Request.HttpMethod == "POST")
            {
                var valid = new ConnectAnswer(Guid.NewGuid(), "stub-token", "stub", $"{Address}:51820", "100.64.0.2/32",
                    (await Command.Run("bash", "-c", "wg genkey | wg pubkey")).Trim(), "0.0.0.0/0, ::/0", DateTimeOffset.UtcNow.AddHours(1), "");
                var answer = tamper[Math.Min(connects++, tamper.Length - 1)](valid);
                context.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(context.Response.OutputStream, answer, JsonSerializerOptions.Web);
            }
            else
            {
                context.Response.StatusCode = (int)HttpStatusCode.NoContent;
            }

            context.Response.Close();
        }
    }

    /// <summary>What the Gateway answers a connect with, field for field.</summary>
    public sealed record ConnectAnswer(
        Guid SessionId, string SessionToken, string Server, string Endpoint, string Address, string ServerPublicKey, string AllowedIps,
        DateTimeOffset ExpiresAt, string Config);
}
