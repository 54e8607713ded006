using System.Security.Cryptography;
using OrleansWg.Grains.Users;

namespace OrleansWg.Grains.Tests;

public sealed class UserSecretsTests
{
    private const string OldKey = "the-old-mfa-secret-key-of-32-characters";
    private const string NewKey = "the-new-mfa-secret-key-of-32-characters";
    private const string Secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    private static UserSecrets With(params string[] keys) => new(Microsoft.Extensions.Options.Options.Create(new UserOptions { SecretKeys = [.. keys] }));

    [Fact]
    public void A_sealed_secret_does_not_show_the_secret_and_opens_for_its_user_only()
    {
        var secrets = With(OldKey);

        var sealedSecret = secrets.Seal("alice", Secret);

        Assert.DoesNotContain(Secret, sealedSecret);
        Assert.NotEqual(sealedSecret, secrets.Seal("alice", Secret));
        Assert.Equal(Secret, secrets.Open("alice", sealedSecret));
        Assert.ThrowsAny<CryptographicException>(() => secrets.Open("bob", sealedSecret));
    }

    [Fact]
    public void A_rotated_key_seals_new_secrets_and_the_old_key_still_opens_the_old_ones()
    {
        var sealedWithOld = With(OldKey).Seal("alice", Secret);
        var rotated = With(NewKey, OldKey);

        Assert.Equal(Secret, rotated.Open("alice", sealedWithOld));
        Assert.ThrowsAny<CryptographicException>(() => With(OldKey).Open("alice", rotated.Seal("alice", Secret)));
    }

    [Fact]
    public void Without_a_key_nothing_can_be_sealed()
    {
        Assert.False(With().CanSeal);
    }
}
