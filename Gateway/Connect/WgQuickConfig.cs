using System.Text;

namespace OrleansWg.Gateway.Connect;

/// <summary>Writes a session as a wg-quick configuration file.</summary>
public static class WgQuickConfig
{
    /// <summary>Keeps NAT mappings open and the handshake fresh while the tunnel is up.</summary>
    private const int PersistentKeepaliveSeconds = 25;

    public static string Render(SessionConfig session)
    {
        var config = new StringBuilder();
        config.AppendLine("[Interface]");
        if (session.ClientPrivateKey is { } privateKey)
        {
            config.AppendLine($"PrivateKey = {privateKey}");
        }

        config.AppendLine($"Address = {session.Address}");
        if (!session.Dns.IsDefaultOrEmpty)
        {
            // wg-quick hands the servers and the search domains to resolvconf while the tunnel is up.
            config.AppendLine($"DNS = {string.Join(", ", session.Dns.Concat(session.SearchDomains))}");
        }

        config.AppendLine();
        config.AppendLine("[Peer]");
        config.AppendLine($"PublicKey = {session.ServerPublicKey}");
        config.AppendLine($"Endpoint = {session.Endpoint}");
        config.AppendLine($"AllowedIPs = {session.AllowedIps}");
        config.AppendLine($"PersistentKeepalive = {PersistentKeepaliveSeconds}");
        return config.ToString();
    }
}
