using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace OrleansWg.NodeHost.WireGuard;

/// <summary>
/// Talks to a WireGuard interface over its UAPI unix socket (the cross-platform interface of
/// wireguard.com). A request and its answer both end in a blank line; one connection carries
/// many requests, so it is kept open, and opened again once when it was found broken. A request
/// that gets no answer within <paramref name="timeout"/> (a frozen container) fails with a
/// <see cref="TimeoutException"/> and drops the connection.
/// </summary>
public sealed class UapiClient(string socketPath, TimeSpan timeout) : IContainerInterface, IDisposable
{
    private const int MaxAnswerBytes = 1 << 20;

    private readonly SemaphoreSlim oneRequestAtATime = new(1, 1);
    private readonly byte[] buffer = new byte[4096];
    private Socket? connection;

    /// <summary>The interface's socket.</summary>
    public string Name => socketPath;

    public async Task<WireGuardDevice> GetAsync(CancellationToken cancellationToken) =>
        UapiAnswer.Device(await ExchangeAsync("get", "get=1\n\n", cancellationToken));

    public async Task SetAsync(WireGuardChanges changes, CancellationToken cancellationToken) =>
        await ExchangeAsync("set", $"set=1\n{UapiSet.Text(changes)}\n", cancellationToken);

    public void Dispose()
    {
        connection?.Dispose();
        oneRequestAtATime.Dispose();
    }

    /// <param name="operation">What the request does, "get" or "set": its span's name.</param>
    private async Task<List<(string Key, string Value)>> ExchangeAsync(string operation, string request, CancellationToken cancellationToken)
    {
        using var span = Telemetry.Spans.StartActivity($"uapi {operation}", ActivityKind.Client);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await oneRequestAtATime.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut();
        }

        try
        {
            var reusing = connection is not null;
            string answer;
            try
            {
                answer = await SendAsync(request, deadline.Token);
            }
            catch (Exception exception) when (reusing && exception is IOException or SocketException)
            {
                // The interface restarted, or the connection went stale: one fresh attempt.
                answer = await SendAsync(request, deadline.Token);
            }

            return UapiAnswer.Lines(answer, socketPath);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut();
        }
        finally
        {
            oneRequestAtATime.Release();
        }
    }

    private TimeoutException TimedOut() => new($"{socketPath} did not answer within {timeout.TotalSeconds} s");

    private async Task<string> SendAsync(string request, CancellationToken cancellationToken)
    {
        try
        {
            if (connection is null)
            {
                connection = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await connection.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            }

            await connection.SendAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
            var answer = new StringBuilder();
            while (answer.Length < 2 || answer[^1] != '\n' || answer[^2] != '\n')
            {
                var read = await connection.ReceiveAsync(buffer, cancellationToken);
                if (read == 0 || answer.Length + read > MaxAnswerBytes)
                {
                    throw new IOException($"{socketPath} closed or overflowed before the end of its answer");
                }

                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return answer.ToString();
        }
        catch
        {
            connection?.Dispose();
            connection = null;
            throw;
        }
    }
}
