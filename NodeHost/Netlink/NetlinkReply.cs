using System.Runtime.InteropServices;

namespace OrleansWg.NodeHost.Netlink;

/// <summary>One message the kernel sent back: its type, its flags, and what follows its header.</summary>
public sealed record NetlinkReply(ushort Type, ushort Flags, byte[] Payload)
{
    /// <summary>
    /// Splits what one receive returned into its messages (one read can hold several, each on a
    /// 4-byte boundary), keeping those that answer <paramref name="sequence"/>: others are late
    /// answers to a request given up on.
    /// </summary>
    public static List<NetlinkReply> Split(ReadOnlySpan<byte> received, uint sequence)
    {
        var replies = new List<NetlinkReply>();
        while (received.Length >= NetlinkFlags.HeaderLength)
        {
            var length = (int)MemoryMarshal.Read<uint>(received);
            if (length < NetlinkFlags.HeaderLength || length > received.Length)
            {
                throw new InvalidDataException($"a netlink message claims {length} bytes where {received.Length} were received");
            }

            if (MemoryMarshal.Read<uint>(received[8..]) == sequence)
            {
                replies.Add(new NetlinkReply(
                    MemoryMarshal.Read<ushort>(received[4..]), MemoryMarshal.Read<ushort>(received[6..]),
                    received[NetlinkFlags.HeaderLength..length].ToArray()));
            }

            received = received[Math.Min(NetlinkFlags.Align(length), received.Length)..];
        }

        return replies;
    }

    /// <summary>
    /// For an error message (which is also how an acknowledgement comes): the error number, 0 for
    /// success, and the kernel's explanation when it attached one.
    /// </summary>
    public (int Error, string? KernelMessage) AsError()
    {
        var error = -MemoryMarshal.Read<int>(Payload);
        string? message = null;
        if ((Flags & NetlinkFlags.AcknowledgeAttributes) != 0)
        {
            // After the error number comes the request's header, and its body too unless the answer was capped.
            var echoed = (int)MemoryMarshal.Read<uint>(Payload.AsSpan(4));
            var attributes = 4 + ((Flags & NetlinkFlags.Capped) != 0 ? NetlinkFlags.HeaderLength : NetlinkFlags.Align(echoed));
            var reader = new NetlinkAttributes(Payload.AsSpan(Math.Min(attributes, Payload.Length)));
            while (reader.Next(out var type, out var payload))
            {
                if (type == ExtendedAcknowledgementMessage)
                {
                    message = NetlinkAttributes.String(payload);
                }
            }
        }

        return (error, message);
    }

    private const ushort ExtendedAcknowledgementMessage = 1;
}
