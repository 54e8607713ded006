using System.Net;
using System.Net.Sockets;

namespace OrleansWg.Gateway.Http;

/// <summary>Where a request comes from, as rate limits and lockouts count it.</summary>
public static class ClientSource
{
    /// <returns>The client's IPv4 address, or the /64 of its IPv6 address (one host usually holds a whole /64).</returns>
    public static string Of(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } address)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
