using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace OrleansWg.NodeHost.Fence;

/// <summary>
/// Fences the node's users in, on the host: traffic from the node's containers to the host itself
/// (its public address, the bridge's gateway, any listener but the node's resolver) is dropped, and so is traffic to
/// link-local addresses and to <see cref="NodeOptions.BlockedDestinations"/>; answers to what
/// came in (a client's own WireGuard packets) pass. A chain of the node's own holds the rules and
/// is rebuilt whole at start, so applying it twice changes nothing.
/// </summary>
public sealed class NodeFence(NodeOwner owner, IOptions<NodeOptions> options, ILogger<NodeFence> logger)
{
    private const string LinkLocal = "169.254.0.0/16";

    private NodeOptions Node => options.Value;

    /// <summary>The node's chain: a name of at most 28 characters whatever its owner (scripts/lib/fence.sh makes the same).</summary>
    private static string Chain(NodeOwner owner) => "OWGF-" + Hash(owner)[..12];

    /// <summary>The node's table of its containers' query rates: a hashlimit name has at most 15 characters.</summary>
    private static string RateName(NodeOwner owner) => "owgd" + Hash(owner)[..11].ToLowerInvariant();

    private static string Hash(NodeOwner owner) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(owner.Key)));

    public async Task EnforceAsync()
    {
        var chain = Chain(owner);
        if (!await Iptables.TryAsync("-N", chain))
        {
            await Iptables.RunAsync("-F", chain);
        }

        await Iptables.RunAsync("-A", chain, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "RETURN");
        foreach (var destination in Node.BlockedRanges.Append(LinkLocal).Distinct())
        {
            await Iptables.RunAsync("-A", chain, "-d", destination, "-j", "DROP");
        }

        await EnsureAsync("DOCKER-USER", "-s", Node.ContainerSubnet, "-j", chain);
        // Named after the chain: each node's rules are its own, also where two nodes share a subnet.
        await EnsureAsync("INPUT", "-s", Node.ContainerSubnet, "-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment", chain, "-j", "DROP");
        // The one listener of the host the users reach: the node's resolver, with each container's
        // queries beyond its rate dropped here, before they fill the resolver's socket for everyone.
        // Put back above the drop each time, in this order, so that they stay above it whatever was there before;
        // a node without a resolver only takes them away.
        string[] toResolver = ["-s", Node.ContainerSubnet, "-d", Node.ResolverAddress, "--dport", "53", "-m", "comment", "--comment", chain];
        string[][] rules =
        [
            ["INPUT", "-p", "udp", .. toResolver, "-m", "hashlimit", "--hashlimit-above", $"{Node.DnsQueriesPerSecond}/second",
                "--hashlimit-burst", $"{Node.DnsQueriesPerSecond * 2}", "--hashlimit-mode", "srcip", "--hashlimit-name", RateName(owner), "-j", "DROP"],
            ["INPUT", "-p", "udp", .. toResolver, "-j", "ACCEPT"],
            ["INPUT", "-p", "tcp", .. toResolver, "-j", "ACCEPT"],
        ];
        foreach (var rule in rules.Reverse())
        {
            for (var copies = 0; copies < 8 && await Iptables.TryAsync(["-D", .. rule]); copies++)
            {
            }

            if (Node.Resolver.Length > 0)
            {
                await Iptables.RunAsync(["-I", .. rule]);
            }
        }

        logger.LogInformation("Fenced {Subnet}: no new connections to this host but its resolver at {Resolver}:53, to {LinkLocal} or {Blocked}",
            Node.ContainerSubnet, Node.ResolverAddress, LinkLocal, Node.BlockedDestinations);
    }

    /// <summary>A rule at the top of <paramref name="builtIn"/>, once.</summary>
    private static async Task EnsureAsync(string builtIn, params string[] rule)
    {
        if (!await Iptables.TryAsync(["-C", builtIn, .. rule]))
        {
            await Iptables.RunAsync(["-I", builtIn, .. rule]);
        }
    }
}
