using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Connect;

/// <summary>
/// Runs a connect again when the silo under it died, dropped it, or let it hang (a request routed to
/// a silo that is dead but not yet declared so is never answered). Safe because the same user and
/// idempotency key come to the same session, and a retry queues behind a first attempt that is still
/// running; only done when the client sent its public key, since a session that made the key pair
/// cannot hand its private key out a second time.
/// </summary>
public static class ConnectRetry
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

    public static async Task<ConnectResult> Run(
        ConnectRequest request, GatewayOptions options, Func<ConnectRequest, Task<ConnectResult>> connect)
    {
        if (request.ClientPublicKey is null)
        {
            return await connect(request);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await connect(request).WaitAsync(options.ConnectAttemptTimeout);
            }
            catch (Exception exception) when (attempt < options.ConnectAttempts
                && (exception is TimeoutException || ClusterFaults.IsRetryable(exception)))
            {
                await Task.Delay(Pause);
            }
        }
    }
}
