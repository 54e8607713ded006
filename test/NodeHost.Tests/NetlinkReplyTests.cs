using System.Runtime.InteropServices;
using OrleansWg.NodeHost.Netlink;

namespace OrleansWg.NodeHost.Tests;

public sealed class NetlinkReplyTests
{
    private static byte[] Message(ushort type, ushort flags, uint sequence, byte[] payload)
    {
        var bytes = new byte[NetlinkFlags.Align(16 + payload.Length)];
        MemoryMarshal.Write(bytes, (uint)(16 + payload.Length));
        MemoryMarshal.Write(bytes.AsSpan(4), type);
        MemoryMarshal.Write(bytes.AsSpan(6), flags);
        MemoryMarshal.Write(bytes.AsSpan(8), sequence);
        payload.CopyTo(bytes, 16);
        return bytes;
    }

    [Fact]
    public void One_receive_holding_several_messages_is_split_and_answers_to_other_requests_are_dropped()
    {
        var received = Message(16, NetlinkFlags.Multipart, 4, [1, 2, 3])
            .Concat(Message(16, NetlinkFlags.Multipart, 3, [9]))
            .Concat(Message(NetlinkFlags.DoneType, NetlinkFlags.Multipart, 4, [0, 0, 0, 0]))
            .ToArray();

        var replies = NetlinkReply.Split(received, 4);

        Assert.Equal([16, NetlinkFlags.DoneType], replies.Select(reply => reply.Type));
        Assert.Equal([1, 2, 3], replies[0].Payload);
    }

    [Fact]
    public void An_acknowledgement_is_an_error_message_with_error_zero()
    {
        var ack = NetlinkReply.Split(Message(NetlinkFlags.ErrorType, NetlinkFlags.Capped, 1, new byte[20]), 1).Single();

        Assert.Equal((0, (string?)null), ack.AsError());
    }

    [Fact]
    public void A_refusal_gives_the_error_number_and_the_kernels_explanation()
    {
        // -EOPNOTSUPP, the request's header (capped: no body), then the message attribute.
        var payload = new byte[4 + 16 + 8 + 12];
        MemoryMarshal.Write(payload, -95);
        MemoryMarshal.Write(payload.AsSpan(4), 40u);
        var explanation = new NetlinkMessage(0, 0).String(1, "Unknown device type").Complete(0)[16..].ToArray();
        payload = [.. payload.AsSpan(0, 20), .. explanation];

        var refusal = NetlinkReply.Split(Message(NetlinkFlags.ErrorType, NetlinkFlags.Capped | NetlinkFlags.AcknowledgeAttributes, 1, payload), 1).Single();

        Assert.Equal((95, "Unknown device type"), refusal.AsError());
    }

    [Fact]
    public void A_message_longer_than_what_was_received_is_refused() =>
        Assert.Throws<InvalidDataException>(() => NetlinkReply.Split(Message(16, 0, 1, [1])[..16].Select((b, i) => i == 0 ? (byte)200 : b).ToArray(), 1));
}
