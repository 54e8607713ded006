using System.Net;

namespace OrleansWg.Grains.Servers;

/// <summary>
/// Cuts an IPv4 pool into /24 subnets, one per user, whose hosts 2 to 254 are the addresses of
/// that user's sessions. (Host 1 of the first subnet is every container's interface.)
/// </summary>
public sealed class TunnelAddressPool
{
    private const int FirstPeerHost = 2;
    private const int LastPeerHost = 254;

    private readonly uint network;
    private readonly uint mask;

    public TunnelAddressPool(string cidr)
    {
        if (!IPNetwork.TryParse(cidr, out var parsed) || parsed.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || parsed.PrefixLength is < 8 or > 24)
        {
            throw new ArgumentException($"tunnel pool '{cidr}' is not an IPv4 CIDR with a prefix from /8 to /24", nameof(cidr));
        }

        network = ToUInt(parsed.BaseAddress);
        mask = uint.MaxValue << (32 - parsed.PrefixLength);
        SubnetCount = 1 << (24 - parsed.PrefixLength);
    }

    public int SubnetCount { get; }

    /// <summary>Every container's interface address (host 1 of the first subnet), where clients also reach their node's resolver.</summary>
    public string InterfaceAddress => Host(0, 1).ToString();

    public int? FreeSubnet(IEnumerable<int> used) => FreeSlot.First(0, SubnetCount - 1, used);

    /// <returns>A free peer address in <paramref name="subnet"/> as a /32, or null when the subnet is full.</returns>
    public string? FreePeerAddress(int subnet, IEnumerable<string> used)
    {
        var usedHosts = used.Select(address => (int)(ToUInt(IPAddress.Parse(address.Split('/')[0])) & 0xFF));
        return FreeSlot.First(FirstPeerHost, LastPeerHost, usedHosts) is { } host ? $"{Host(subnet, host)}/32" : null;
    }

    /// <returns>true when <paramref name="address"/> (an address, or one as a /32) is a peer's address inside the pool.</returns>
    public bool Contains(string address) =>
        IPAddress.TryParse(address.Split('/')[0], out var parsed) && parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
        && (ToUInt(parsed) & mask) == network && (ToUInt(parsed) & 0xFF) is >= FirstPeerHost and <= LastPeerHost;

    private IPAddress Host(int subnet, int host) => ToAddress(network + ((uint)subnet << 8) + (uint)host);

    private static uint ToUInt(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
    }

    private static IPAddress ToAddress(uint value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}
