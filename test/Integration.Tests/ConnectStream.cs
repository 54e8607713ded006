using System.Collections.Concurrent;
using System.Net;

namespace OrleansWg.Integration.Tests;

/// <summary>
/// Users connecting and disconnecting one after another in the background, as clients do: a 503
/// is tried again once a second later, as owg does; anything else that is not a success is a failure.
/// </summary>
public sealed class ConnectStream : IAsyncDisposable
{
    private const int MostConnects = 10_000;
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly ControlPlane plane;
    private readonly IReadOnlyList<string> users;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<string> failures = new();
    private readonly Task running;
    private int connects;
    private int retried;

    public ConnectStream(ControlPlane plane, IReadOnlyList<string> users)
    {
        this.plane = plane;
        this.users = users;
        running = Task.Run(RunAsync);
    }

    /// <summary>Connects that ended well, a retry or not.</summary>
    public int Connects => Volatile.Read(ref connects);

    /// <summary>Waits for <paramref name="count"/> more connects to succeed (a minute at most).</summary>
    public Task WaitForMoreAsync(int count)
    {
        var target = Connects + count;
        return plane.WaitFor(() => Task.FromResult(Connects >= target || running.IsCompleted), $"{count} more connects");
    }

    /// <summary>Stops it.</summary>
    /// <returns>How many connects succeeded, how many needed their retry, and what failed.</returns>
    public async Task<(int Connects, int Retried, IReadOnlyList<string> Failures)> StopAsync()
    {
        await stop.CancelAsync();
        await running;
        return (Connects, retried, [.. failures]);
    }

    /// <summary>Stops it, if the test did not; what went wrong is the test's to report, not this.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await running.ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }

    private async Task RunAsync()
    {
        for (var i = 0; i < MostConnects && !stop.IsCancellationRequested; i++)
        {
            var user = users[i % users.Count];
            try
            {
                using var connected = await RetriedOnce(() => plane.Connect(user));
                if (!connected.IsSuccessStatusCode)
                {
                    failures.Enqueue($"connect of {user}: {(int)connected.StatusCode} {await connected.Content.ReadAsStringAsync()}");
                    continue;
                }

                var session = await connected.Json();
                using var ended = await RetriedOnce(() => plane.Http.SendAsync(SessionRequest.For(HttpMethod.Delete, session)));
                if (ended.StatusCode != HttpStatusCode.NoContent)
                {
                    failures.Enqueue($"disconnect of {user}: {(int)ended.StatusCode} {await ended.Content.ReadAsStringAsync()}");
                    continue;
                }

                Interlocked.Increment(ref connects);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                failures.Enqueue($"{user}: {exception.GetType().Name}: {exception.Message}");
            }

            await Task.Delay(Pause);
        }
    }

    private async Task<HttpResponseMessage> RetriedOnce(Func<Task<HttpResponseMessage>> send)
    {
        var response = await send();
        if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
        {
            return response;
        }

        response.Dispose();
        Interlocked.Increment(ref retried);
        await Task.Delay(RetryAfter);
        return await send();
    }
}
