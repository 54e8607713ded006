namespace OrleansWg.NodeHost.Tests;

public sealed class WireGuardKeyTests
{
    [Fact]
    public void A_new_private_key_is_clamped_as_wg_genkey_makes_them_and_clamping_keeps_its_public_key()
    {
        var (privateKey, publicKey) = WireGuardKey.CreatePair();
        var unclamped = Convert.FromBase64String(privateKey);
        unclamped[0] |= 7;
        unclamped[31] |= 128;

        Assert.Equal(privateKey, WireGuardKey.Clamped(privateKey));
        Assert.Equal(privateKey, WireGuardKey.Clamped(Convert.ToBase64String(unclamped)));
        Assert.Equal(publicKey, WireGuardKey.PublicKeyOf(Convert.ToBase64String(unclamped)));
    }
}
