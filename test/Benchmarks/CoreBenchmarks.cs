using System.Text.Json;
using OrleansWg.Grains.Users;
using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>The control plane's own costs: a password check, and a connect for a user who already has a container.</summary>
public static class CoreBenchmarks
{
    private const int Samples = 200;

    /// <param name="WrongPassword">A real user's wrong password.</param>
    /// <param name="MadeUpUser">A made-up user's, in turns with the real user's.</param>
    /// <param name="WrongPasswordAgain">The real user's again, in the same turns: how far two medians of the same thing are apart by chance.</param>
    public sealed record Figures(Latencies Verify, Latencies WrongPassword, Latencies MadeUpUser, Latencies WrongPasswordAgain, Latencies WarmConnect);

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
        var (wrongPassword, madeUpUser, wrongPasswordAgain) = await MeasureRefusals(plane);
        await plane.Disconnect(live);
        return new Figures(verify, wrongPassword, madeUpUser, wrongPasswordAgain, warmConnect);
    }

    /// <summary>
    /// Wrong passwords of user "bench" and of a made-up user, in turns (real, made-up, real) from the
    /// same addresses, so that both meet the same machine at the same moments.
    /// </summary>
    private static async Task<(Latencies Real, Latencies MadeUp, Latencies RealAgain)> MeasureRefusals(ControlPlane plane)
    {
        const int Warmup = 10;
        // Two turns from each address: four of the real user's guesses, as a fifth would lock that address out and stop the verify.
        var guessers = Enumerable.Range(0, ((Warmup + Samples) / 2) + 1)
            .Select(n => LoopbackSource.Client(LoopbackSource.Address(n), plane.Http.BaseAddress!)).ToArray();
        var (real, madeUp, realAgain) = (new List<double>(), new List<double>(), new List<double>());
        for (var turn = 0; turn < Warmup + Samples; turn++)
        {
            var guesser = guessers[turn / 2];
            var times = (await Latencies.Time(() => plane.RefusedLogin("bench", guesser)), await Latencies.Time(() => plane.RefusedLogin("nobody-here", guesser)),
                await Latencies.Time(() => plane.RefusedLogin("bench", guesser)));
            if (turn >= Warmup)
            {
                real.Add(times.Item1);
                madeUp.Add(times.Item2);
                realAgain.Add(times.Item3);
            }
        }

        foreach (var guesser in guessers)
        {
            guesser.Dispose();
        }

        return (new Latencies("POST /v1/connect, wrong password (verify, no session)", real),
            new Latencies("POST /v1/connect, made-up user, in turns with the above", madeUp),
            new Latencies("POST /v1/connect, wrong password again, in the same turns", realAgain));
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
