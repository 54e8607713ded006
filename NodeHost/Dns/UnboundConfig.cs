using System.Text;

namespace OrleansWg.NodeHost.Dns;

/// <summary>Where a node's resolver listens and what it may spend: the parts of its configuration that are the node's, not the policy's.</summary>
/// <param name="Directory">Where its configuration, blocklist zone, trust anchor and control socket live.</param>
/// <param name="ListenAddress">The address of the node's Docker bridge, where the containers send their users' queries.</param>
/// <param name="ClientSubnet">The node's container subnet: the only clients answered.</param>
/// <param name="QueriesPerSecond">The most queries one client (one user's container) gets answered a second.</param>
public sealed record ResolverSite(string Directory, string ListenAddress, string ClientSubnet, int QueriesPerSecond, int CacheMegabytes)
{
    public string ConfigPath => Path.Combine(Directory, "unbound.conf");

    public string BlocklistPath => Path.Combine(Directory, "blocked.rpz");

    public string ControlSocket => Path.Combine(Directory, "control.sock");

    public string TrustAnchorPath => Path.Combine(Directory, "root.key");

    /// <summary>unbound's process id: a node started again stops the resolver its killed self left running.</summary>
    public string PidPath => Path.Combine(Directory, "unbound.pid");
}

/// <summary>
/// Writes unbound's configuration for a node's resolver, and the response-policy zone (RPZ) that
/// carries its blocked names: a blocked name and its subdomains answer NXDOMAIN, an allowed one
/// and its subdomains pass through. RPZ rather than local zones, because unbound counts the
/// queries it answers from it (<c>num.rpz.action.rpz-nxdomain</c>).
/// </summary>
public static class UnboundConfig
{
    /// <summary>The RPZ zone's name: a name under it cannot be a real one.</summary>
    public const string PolicyZone = "rpz.owg.";

    public static string Render(ResolverSite site, DnsPolicy policy)
    {
        var config = new StringBuilder();
        void Line(string text) => config.Append(text).Append('\n');
        Line("server:");
        // Run as the node runs it: in the foreground, as the node's own child, with nothing of Debian's service setup.
        Line("  username: \"\"");
        Line("  chroot: \"\"");
        Line($"  directory: \"{site.Directory}\"");
        Line($"  pidfile: \"{site.PidPath}\"");
        Line("  use-syslog: no");
        Line("  logfile: \"\"");
        Line("  verbosity: 1");
        Line($"  interface: {site.ListenAddress}");
        Line("  port: 53");
        // The bridge may not have its address yet when the resolver starts.
        Line("  ip-freebind: yes");
        Line("  access-control: 0.0.0.0/0 refuse");
        Line("  access-control: ::/0 refuse");
        Line($"  access-control: {site.ClientSubnet} allow");
        Line($"  ip-ratelimit: {site.QueriesPerSecond}");
        Line("  num-threads: 1");
        Line($"  msg-cache-size: {site.CacheMegabytes}m");
        Line($"  rrset-cache-size: {site.CacheMegabytes * 2}m");
        Line("  hide-identity: yes");
        Line("  hide-version: yes");
        Line("  qname-minimisation: yes");
        Line("  extended-statistics: yes");
        // A line a query, which the node keeps in the group's query log; none at all unless the group asks.
        Line($"  log-queries: {(policy.QueryLogDays > 0 ? "yes" : "no")}");
        if (policy.Dnssec)
        {
            Line("  module-config: \"respip validator iterator\"");
            Line($"  auto-trust-anchor-file: \"{site.TrustAnchorPath}\"");
        }
        else
        {
            Line("  module-config: \"respip iterator\"");
        }

        Line("rpz:");
        Line($"  name: {PolicyZone}");
        Line($"  zonefile: \"{site.BlocklistPath}\"");
        Line("remote-control:");
        Line("  control-enable: yes");
        Line($"  control-interface: \"{site.ControlSocket}\"");
        Line("  control-use-cert: no");
        if (!policy.Upstreams.IsDefaultOrEmpty)
        {
            Line("forward-zone:");
            Line("  name: \".\"");
            foreach (var upstream in policy.Upstreams)
            {
                Line($"  forward-addr: {upstream}");
            }
        }

        return config.ToString();
    }

    /// <summary>The RPZ zone: the policy's blocked names (its own and its imported list) and its exceptions, each with its subdomains.</summary>
    public static string RenderBlocklist(DnsPolicy policy)
    {
        var zone = new StringBuilder();
        zone.Append($"$ORIGIN {PolicyZone}\n");
        zone.Append("@ 3600 IN SOA localhost. nobody.invalid. 1 3600 600 86400 60\n");
        zone.Append("@ 3600 IN NS localhost.\n");
        // An exception is written after the blocks: unbound takes the most specific name, whatever the order.
        foreach (var (names, target) in new[] { (policy.Blocked.Concat(policy.Blocklist), "."), (policy.Allowed.AsEnumerable(), "rpz-passthru.") })
        {
            foreach (var name in names.Distinct())
            {
                zone.Append($"{name} CNAME {target}\n*.{name} CNAME {target}\n");
            }
        }

        return zone.ToString();
    }
}
