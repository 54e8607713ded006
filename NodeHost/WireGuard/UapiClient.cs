using System.Net.Sockets;
using System.Text;

namespace OrleansWg.NodeHost.WireGuard;

/// <summary>
/// Talks to a WireGuard interface over its UAPI unix socket (the cross-platform interface of
/// wireguard.com): one connection per request, a request and its answer both end in a blank line.
/// </summary>
public sealed class UapiClient(string socketPath)
{
    private const int MaxAnswerBytes = 1 << 20;

    public string SocketPath => socketPath;

    public async Task<UapiDevice> GetAsync(CancellationToken cancellationToken)
    {
        string? privateKey = null;
        var listenPort = 0;
        var peers = new List<UapiPeer>();
        string? peerKey = null;
        var allowedIps = new List<string>();
        long handshakeSeconds = 0;

        void EndPeer()
        {
            if (peerKey is not null)
            {
                peers.Add(new UapiPeer(peerKey, [.. allowedIps],
                    handshakeSeconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(handshakeSeconds)));
            }

            allowedIps.Clear();
            handshakeSeconds = 0;
        }

        foreach (var (key, value) in await ExchangeAsync("get=1\n\n", cancellationToken))
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
            }
        }

        EndPeer();
        return new UapiDevice(privateKey, listenPort, peers);
    }

    public async Task SetAsync(UapiSet changes, CancellationToken cancellationToken) =>
        await ExchangeAsync($"set=1\n{changes}\n", cancellationToken);

    private async Task<List<(string Key, string Value)>> ExchangeAsync(string request, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), cancellationToken);

        var answer = new StringBuilder();
        var buffer = new byte[4096];
        while (!answer.ToString().EndsWith("\n\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, cancellationToken);
            if (read == 0 || answer.Length + read > MaxAnswerBytes)
            {
                throw new IOException($"{socketPath} closed or overflowed before the end of its answer");
            }

            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var lines = answer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Select(pair => (pair[0], pair.Length > 1 ? pair[1] : ""))
            .ToList();
        var errno = lines.LastOrDefault(line => line.Item1 == "errno").Item2;
        if (errno is not "0")
        {
            throw new IOException($"{socketPath} refused the request: errno={errno}");
        }

        return lines;
    }
}
