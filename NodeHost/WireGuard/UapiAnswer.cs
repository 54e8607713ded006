namespace OrleansWg.NodeHost.WireGuard;

/// <summary>
/// How an interface's answer to a UAPI request reads: "key=value" lines ending in "errno=N", 0 when
/// the request was done. A "get" answer describes the interface, then each peer: a peer's lines
/// follow its public_key line. Keys come in hex and are read as base64; lines the node has no use
/// for (endpoints, keepalives, the protocol version) are passed over.
/// </summary>
public static class UapiAnswer
{
    /// <summary>The lines of <paramref name="answer"/>, which came from <paramref name="socketPath"/>, as keys and values.</summary>
    /// <exception cref="IOException">The interface refused the request: an errno other than 0, or none.</exception>
    public static List<(string Key, string Value)> Lines(string answer, string socketPath)
    {
        var lines = answer.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Select(pair => (pair[0], pair.Length > 1 ? pair[1] : ""))
            .ToList();
        var errno = lines.LastOrDefault(line => line.Item1 == "errno").Item2;
        return errno is "0" ? lines : throw new IOException($"{socketPath} refused the request: errno={errno}");
    }

    /// <summary>The interface a "get" answer's <paramref name="lines"/> describe.</summary>
    public static WireGuardDevice Device(IEnumerable<(string Key, string Value)> lines)
    {
        string? privateKey = null;
        var listenPort = 0;
        var peers = new List<WireGuardPeer>();
        string? peerKey = null;
        var allowedIps = new List<string>();
        long handshakeSeconds = 0;
        long receivedBytes = 0;
        long sentBytes = 0;

        void EndPeer()
        {
            if (peerKey is not null)
            {
                peers.Add(new WireGuardPeer(peerKey, [.. allowedIps],
                    handshakeSeconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(handshakeSeconds), receivedBytes, sentBytes));
            }

            allowedIps.Clear();
            handshakeSeconds = 0;
            receivedBytes = 0;
            sentBytes = 0;
        }

        foreach (var (key, value) in lines)
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
        return new WireGuardDevice(privateKey, listenPort, peers);
    }
}
