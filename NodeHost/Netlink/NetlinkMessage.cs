using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace OrleansWg.NodeHost.Netlink;

/// <summary>
/// One netlink request being written: its header, a fixed family header, then attributes, each
/// on a 4-byte boundary; a nest's length is filled in when it ends, the message's when it is sent.
/// Numbers are in the host's byte order, as netlink wants them. Every request but a dump asks for
/// an acknowledgement: it is how the reader knows the answer is complete.
/// </summary>
public sealed class NetlinkMessage
{
    private byte[] buffer = new byte[256];

    public NetlinkMessage(ushort type, ushort flags)
    {
        Length = NetlinkFlags.HeaderLength;
        MemoryMarshal.Write(buffer.AsSpan(4), type);
        var acknowledge = (flags & NetlinkFlags.Dump) == NetlinkFlags.Dump ? 0 : NetlinkFlags.Acknowledge;
        MemoryMarshal.Write(buffer.AsSpan(6), (ushort)(flags | acknowledge | NetlinkFlags.Request));
    }

    public int Length { get; private set; }

    public ushort Flags => MemoryMarshal.Read<ushort>(buffer.AsSpan(6));

    /// <summary>A generic netlink request: the header of generic netlink follows the message's own.</summary>
    public static NetlinkMessage Generic(ushort family, byte command, byte version, ushort flags) =>
        new NetlinkMessage(family, flags).Header([command, version, 0, 0]);

    /// <summary>The protocol's own fixed header (ifinfomsg, ifaddrmsg, the generic netlink header).</summary>
    public NetlinkMessage Header(ReadOnlySpan<byte> header)
    {
        header.CopyTo(Reserve(header.Length));
        return this;
    }

    public NetlinkMessage Attribute(ushort type, ReadOnlySpan<byte> payload)
    {
        var attribute = Reserve(4 + payload.Length);
        MemoryMarshal.Write(attribute, (ushort)(4 + payload.Length));
        MemoryMarshal.Write(attribute[2..], type);
        payload.CopyTo(attribute[4..]);
        return this;
    }

    public NetlinkMessage U8(ushort type, byte value) => Attribute(type, [value]);

    public NetlinkMessage U16(ushort type, ushort value) => Attribute(type, BitConverter.GetBytes(value));

    public NetlinkMessage U32(ushort type, uint value) => Attribute(type, BitConverter.GetBytes(value));

    /// <summary>A string attribute, ended by a NUL as the kernel expects.</summary>
    public NetlinkMessage String(ushort type, string value) => Attribute(type, Encoding.UTF8.GetBytes(value + '\0'));

    public NetlinkMessage Address(ushort type, IPAddress address) => Attribute(type, address.GetAddressBytes());

    /// <summary>Starts an attribute that holds attributes; give what it returns to <see cref="EndNest"/>.</summary>
    public int BeginNest(ushort type)
    {
        var start = Length;
        Attribute((ushort)(type | NetlinkFlags.Nested), []);
        return start;
    }

    public void EndNest(int start) => MemoryMarshal.Write(buffer.AsSpan(start), (ushort)(Length - start));

    /// <summary>Drops everything written after <paramref name="length"/>: a nest that did not fit.</summary>
    public void Truncate(int length) => Length = length;

    /// <summary>The message ready to send, with its length and <paramref name="sequence"/> number filled in.</summary>
    public ReadOnlySpan<byte> Complete(uint sequence)
    {
        MemoryMarshal.Write(buffer.AsSpan(0), (uint)Length);
        MemoryMarshal.Write(buffer.AsSpan(8), sequence);
        return buffer.AsSpan(0, Length);
    }

    private Span<byte> Reserve(int length)
    {
        var aligned = NetlinkFlags.Align(length);
        if (Length + aligned > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, Length + aligned));
        }

        var reserved = buffer.AsSpan(Length, aligned);
        reserved.Clear();
        Length += aligned;
        return reserved[..length];
    }
}
