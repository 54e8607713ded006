using System.Text;

namespace OrleansWg.NodeHost.WireGuard;

/// <summary>The body of a UAPI "set=1" request: the changes in the text of wireguard.com's protocol, keys in hex.</summary>
public static class UapiSet
{
    public static string Text(WireGuardChanges changes)
    {
        var lines = new StringBuilder();
        void Line(string key, string value) => lines.Append(key).Append('=').Append(value).Append('\n');

        if (changes.PrivateKey is { } privateKey)
        {
            Line("private_key", WireGuardKey.ToHex(privateKey));
        }

        if (changes.ListenPort is { } port)
        {
            Line("listen_port", $"{port}");
        }

        foreach (var peer in changes.Peers)
        {
            Line("public_key", WireGuardKey.ToHex(peer.PublicKey));
            if (peer.AllowedIp is null)
            {
                Line("remove", "true");
            }
            else
            {
                Line("replace_allowed_ips", "true");
                Line("allowed_ip", peer.AllowedIp);
            }
        }

        return lines.ToString();
    }
}
