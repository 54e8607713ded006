using OrleansWg.NodeHost.Netlink;

namespace OrleansWg.NodeHost.Tests;

public sealed class NetlinkMessageTests
{
    [Fact]
    public void A_request_carries_its_length_type_flags_and_sequence_and_asks_for_an_acknowledgement() =>
        Assert.Equal(
            new byte[] { 24, 0, 0, 0, 18, 0, 5, 0, 7, 0, 0, 0, 0, 0, 0, 0, 8, 0, 3, 0, 1, 0, 0, 0 },
            new NetlinkMessage(18, 0).U32(3, 1).Complete(7).ToArray());

    [Fact]
    public void A_dump_asks_for_no_acknowledgement() =>
        Assert.Equal(NetlinkFlags.Request | NetlinkFlags.Dump, new NetlinkMessage(18, NetlinkFlags.Dump).Flags);

    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 8)]
    [InlineData(3, 8)]
    [InlineData(4, 8)]
    [InlineData(5, 12)]
    public void An_attribute_counts_its_payload_unpadded_but_the_next_starts_on_four_bytes(int payload, int taken)
    {
        var message = new NetlinkMessage(16, 0).Attribute(1, new byte[payload]);

        var bytes = message.Complete(1);

        Assert.Equal(16 + taken, message.Length);
        Assert.Equal(4 + payload, bytes[16]);
    }

    [Fact]
    public void A_string_ends_with_a_nul_and_a_nest_counts_what_it_holds()
    {
        var message = new NetlinkMessage(16, 0);
        var nest = message.BeginNest(18);
        message.String(1, "wg0");
        message.EndNest(nest);

        Assert.Equal(
            new byte[] { 12, 0, 18, 0x80, 8, 0, 1, 0, (byte)'w', (byte)'g', (byte)'0', 0 },
            message.Complete(1)[16..].ToArray());
    }

    [Fact]
    public void Attributes_written_are_read_back_in_order_padding_skipped()
    {
        var message = new NetlinkMessage(16, 0).U8(1, 9).String(2, "owgp51820").U16(3, 51820);

        var read = new List<(ushort, string)>();
        var attributes = new NetlinkAttributes(message.Complete(1)[16..]);
        while (attributes.Next(out var type, out var payload))
        {
            read.Add((type, type == 2 ? NetlinkAttributes.String(payload) : $"{(payload.Length == 1 ? payload[0] : NetlinkAttributes.U16(payload))}"));
        }

        Assert.Equal([((ushort)1, "9"), ((ushort)2, "owgp51820"), ((ushort)3, "51820")], read);
    }
}
