using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Connect;

/// <summary>
/// Runs a connect again when the silo under it died, dropped it, or let it hang (a request in
/// flight on a connection to a silo that died is never answered), until the connect's own time is
/// up. Safe because the same user and idempotency key come to the same session, and a retry queues
/// behind a first attempt that is still running (an attempt given up on is cancelled: if it has not
/// started, it leaves the user grain's queue); only done when the client sent its public key,
/// since a session that made the key pair cannot hand its private key out a second time.
/// </summary>
public static class ConnectRetry
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(2);

    public static async Task<ConnectResult> Run(ConnectRequest request, GatewayOptions options, TimeProvider clock,
        Func<ConnectRequest, CancellationToken, Task<ConnectResult>> connect, CancellationToken requestAborted)
    {
        if (request.ClientPublicKey is null)
        {
            return await connect(request, requestAborted);
        }

        var deadline = clock.GetUtcNow() + options.ConnectTimeout;
        var pause = FirstPause;
        while (true)
        {
            var left = deadline - clock.GetUtcNow();
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
            attempt.CancelAfter(left < options.ConnectAttemptTimeout ? left : options.ConnectAttemptTimeout);
            try
            {
                return await connect(request, attempt.Token);
            }
            catch (Exception exception) when (!requestAborted.IsCancellationRequested
                && (exception is TimeoutException || ClusterFaults.IsRetryable(exception)) && clock.GetUtcNow() + pause < deadline)
            {
                await Task.Delay(pause, requestAborted);
                pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            }
        }
    }
}
