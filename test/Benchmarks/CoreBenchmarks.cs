using System.Text.Json;
using OrleansWg.Grains.Users;
using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>The control plane's own costs: a password check, and a connect for a user who already has a container.</summary>
public static class CoreBenchmarks
{
    private const int Samples = 200;

    public sealed record Figures(Latencies Verify, Latencies WrongPassword, Latencies WarmConnect);

    public static async Task<Figures> RunAsync()
    {
        var hash = PasswordHash.Create(Gateway.Password);
        var verify = await Latencies.Measure("Argon2id verify (m=19 MiB, t=2, p=1)", 5, Samples,
            () => Task.FromResult(PasswordHash.Verify(Gateway.Password, hash)));

        // The guesses below come from many addresses, past the budget the user's failures from new
        // addresses have together, which would lock them out and stop the verify that is measured.
        var settings = Production.Heartbeat;
        settings["Users__MaxFailedLoginsPerUser"] = "1000000";
        await using var plane = await ControlPlane.StartAsync(settings);
        await plane.CreateUser("bench");
        var live = await plane.Connect("bench");

        var warmConnect = await MeasureWarmConnect(plane, "POST /v1/connect, user with a live session there");
        // Four guesses from each address: a fifth would lock that address out, and the verify would stop.
        var guessers = Enumerable.Range(0, (10 + Samples) / 4 + 1)
            .Select(n => LoopbackSource.Client(LoopbackSource.Address(n), plane.Http.BaseAddress!)).ToArray();
        var attempt = 0;
        var wrongPassword = await Latencies.Measure("POST /v1/connect, wrong password (verify, no session)", 10, Samples,
            () => plane.RefusedLogin("bench", guessers[attempt++ / 4]));
        foreach (var guesser in guessers)
        {
            guesser.Dispose();
        }

        await plane.Disconnect(live);
        return new Figures(verify, wrongPassword, warmConnect);
    }

    /// <summary>Connects of user "bench", who has a live session and so a container, one at a time; each is ended after.</summary>
    public static async Task<Latencies> MeasureWarmConnect(ControlPlane plane, string name)
    {
        JsonElement session = default;
        return await Latencies.Measure(name, 10, Samples,
            async () => session = await plane.Connect("bench"),
            async () =>
            {
                await plane.Disconnect(session);
                await plane.WaitForSessions("bench", 1);
            });
    }
}
