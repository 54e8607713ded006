using System.Runtime.InteropServices;
using System.Text;

namespace OrleansWg.NodeHost.Netlink;

/// <summary>
/// Reads the attributes of a netlink message one by one. Types the caller does not know are
/// its to skip: the kernel adds padding attributes (type 0) and new attributes over time.
/// </summary>
public ref struct NetlinkAttributes(ReadOnlySpan<byte> attributes)
{
    private ReadOnlySpan<byte> rest = attributes;

    /// <summary>The next attribute, its nested flag removed from its type; false at the end.</summary>
    public bool Next(out ushort type, out ReadOnlySpan<byte> payload)
    {
        if (rest.Length < 4)
        {
            type = 0;
            payload = default;
            return false;
        }

        var length = MemoryMarshal.Read<ushort>(rest);
        if (length < 4 || length > rest.Length)
        {
            throw new InvalidDataException($"a netlink attribute claims {length} bytes where {rest.Length} are left");
        }

        type = (ushort)(MemoryMarshal.Read<ushort>(rest[2..]) & 0x3FFF);
        payload = rest[4..length];
        rest = rest[Math.Min(NetlinkFlags.Align(length), rest.Length)..];
        return true;
    }

    public static ushort U16(ReadOnlySpan<byte> payload) => MemoryMarshal.Read<ushort>(payload);

    public static uint U32(ReadOnlySpan<byte> payload) => MemoryMarshal.Read<uint>(payload);

    public static ulong U64(ReadOnlySpan<byte> payload) => MemoryMarshal.Read<ulong>(payload);

    /// <summary>A string attribute, without the NUL that ends it.</summary>
    public static string String(ReadOnlySpan<byte> payload)
    {
        var end = payload.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? payload : payload[..end]);
    }
}
