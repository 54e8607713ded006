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
public sealed class UapiClient(string socketPath, TimeSpan timeout) : IDisposable
{
    private const int MaxAnswerBytes = 1 << 20;

    private readonly SemaphoreSlim oneRequestAtATime = new(1, 1);
    private readonly byte[] buffer = new byte[4096];
    private Socket? connection;

    public string SocketPath => socketPath;

    public async Task<UapiDevice> GetAsync(CancellationToken cancellationToken)
    {
        string? privateKey = null;
        var listenPort = 0;
        var peers = new List<UapiPeer>();
        string? peerKey = null;
        var allowedIps = new List<string>();
        long handshakeSeconds = 0;
        long receivedBytes = 0;
        long sentBytes = 0;

        void EndPeer()
        {
            if (peerKey is not null)
            {
                peers.Add(new UapiPeer(peerKey, [.. allowedIps],
                    handshakeSeconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(handshakeSeconds), receivedBytes, sentBytes));
            }

            allowedIps.Clear();
            handshakeSeconds = 0;
            receivedBytes = 0;
            sentBytes = 0;
        }

        foreach (var (key, value) in await ExchangeAsync("get", "get=1\n\n", cancellationToken))
        {
            switch (key)
            {
                case "private_key":
                    privateKey = WireGuardKey.FromHex(value);
                    break;
                case "listen_port":
                    listenPort = int.Parse(value);
                    break;
                case "public_key":
                    EndPeer();
                    peerKey = WireGuardKey.FromHex(value);
                    break;
                case "allowed_ip":
                    allowedIps.Add(value);
                    break;
                case "last_handshake_time_sec":
                    handshakeSeconds = long.Parse(value);
                    break;
                case "rx_bytes":
                    receivedBytes = long.Parse(value);
                    break;
                case "tx_bytes":
                    sentBytes = long.Parse(value);
                    break;
            }
        }

        EndPeer();
        return new UapiDevice(privateKey, listenPort, peers);
    }

    public async Task SetAsync(UapiSet changes, CancellationToken cancellationToken) =>
        await ExchangeAsync("set", $"set=1\n{changes}\n", cancellationToken);

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

            return Parse(answer);
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

    private List<(string Key, string Value)> Parse(string answer)
    {
        var lines = answer.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Select(pair => (pair[0], pair.Length > 1 ? pair[1] : ""))
            .ToList();
        var errno = lines.LastOrDefault(line => line.Item1 == "errno").Item2;
        return errno is "0" ? lines : throw new IOException($"{socketPath} refused the request: errno={errno}");
    }
}
