using OrleansWg.Grains.Users;

namespace OrleansWg.Grains.Tests;

public sealed class PasswordHashTests
{
    [Fact]
    public void A_hash_names_argon2id_and_its_parameters_and_verifies_only_its_password()
    {
        var hash = PasswordHash.Create("correct horse");

        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", hash);
        Assert.True(PasswordHash.Verify("correct horse", hash));
        Assert.False(PasswordHash.Verify("correct horsE", hash));
    }

    [Fact]
    public void The_same_password_hashes_differently_each_time() =>
        Assert.NotEqual(PasswordHash.Create("same"), PasswordHash.Create("same"));

    [Fact]
    public void A_hash_made_with_other_parameters_still_verifies()
    {
        var hash = PasswordHash.Create("pw", new NSec.Cryptography.Argon2Parameters { MemorySize = 8 * 1024, NumberOfPasses = 3, DegreeOfParallelism = 1 });

        Assert.Contains("m=8192,t=3,p=1", hash);
        Assert.True(PasswordHash.Verify("pw", hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")]
    [InlineData("plain text")]
    public void A_malformed_hash_verifies_nothing(string stored) => Assert.False(PasswordHash.Verify("pw", stored));
}
