using System.Text;

namespace OrleansWg.NodeHost.WireGuard;

/// <summary>The body of a UAPI "set=1" request, built up change by change. Keys are given in base64.</summary>
public sealed class UapiSet
{
    private readonly StringBuilder lines = new();

    public bool IsEmpty => lines.Length == 0;

    public UapiSet PrivateKey(string privateKey) => Line("private_key", WireGuardKey.ToHex(privateKey));

    public UapiSet ListenPort(int port) => Line("listen_port", $"{port}");

    public UapiSet Peer(string publicKey, string allowedIp) =>
        Line("public_key", WireGuardKey.ToHex(publicKey)).Line("replace_allowed_ips", "true").Line("allowed_ip", allowedIp);

    public UapiSet RemovePeer(string publicKey) => Line("public_key", WireGuardKey.ToHex(publicKey)).Line("remove", "true");

    public override string ToString() => lines.ToString();

    private UapiSet Line(string key, string value)
    {
        lines.Append(key).Append('=').Append(value).Append('\n');
        return this;
    }
}
