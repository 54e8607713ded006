using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OrleansWg.Grains.Sso;

namespace OrleansWg.Grains.Tests;

/// <summary>The checks of an ID token, against a provider's configuration given in memory (the real provider's flow has its tests in Integration.Tests).</summary>
public sealed class OidcClientTests
{
    private const string Issuer = "https://id.example.test";
    private const string ClientId = "orleanswg";

    private static readonly RsaSecurityKey ProviderKey = new(RSA.Create(2048)) { KeyId = "provider" };
    private static readonly RsaSecurityKey OtherKey = new(RSA.Create(2048)) { KeyId = "provider" };

    private static OidcClient Client()
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
        configuration.SigningKeys.Add(ProviderKey);
        return new OidcClient(Microsoft.Extensions.Options.Options.Create(new SsoOptions { Issuer = Issuer, ClientId = ClientId }), new HttpClient(), NullLogger<OidcClient>.Instance,
            new Microsoft.IdentityModel.Protocols.StaticConfigurationManager<OpenIdConnectConfiguration>(configuration));
    }

    private static string Token(string issuer = Issuer, string audience = ClientId, TimeSpan? validFor = null, SecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (validFor ?? TimeSpan.FromMinutes(5));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            NotBefore = expires < now ? expires - TimeSpan.FromMinutes(10) : now,
            IssuedAt = expires < now ? expires - TimeSpan.FromMinutes(10) : now,
            Expires = expires,
            Subject = new ClaimsIdentity([new Claim("sub", "u-1"), new Claim("preferred_username", "Alice")]),
            Claims = new Dictionary<string, object> { ["groups"] = new[] { "wg-staff", "other" } },
            SigningCredentials = new SigningCredentials(key ?? ProviderKey, SecurityAlgorithms.RsaSha256),
        });
    }

    [Fact]
    public async Task A_token_of_the_provider_for_this_client_in_its_time_gives_the_subject_the_name_and_the_groups()
    {
        var identity = await Client().Validate(Token());

        Assert.Equal("https://id.example.test|u-1", identity!.Subject);
        Assert.Equal("Alice", identity.UserName);
        Assert.Equal<string>(["wg-staff", "other"], identity.Groups);
    }

    [Fact]
    public async Task A_token_from_another_issuer_for_another_audience_expired_or_signed_by_another_key_is_refused()
    {
        var client = Client();

        Assert.Null(await client.Validate(Token(issuer: "https://elsewhere.example.test")));
        Assert.Null(await client.Validate(Token(audience: "another-client")));
        Assert.Null(await client.Validate(Token(validFor: TimeSpan.FromMinutes(-5))));
        Assert.Null(await client.Validate(Token(key: OtherKey)));
    }

    [Fact]
    public void Provider_groups_map_to_server_groups_by_the_settings_and_unmapped_ones_give_none()
    {
        var options = new SsoOptions { GroupMap = ["wg-staff=staff", "wg-admins=staff", "urn:x:ops=ops"] };

        Assert.Equal<string>(["staff", "ops"], options.ServerGroups(["wg-admins", "urn:x:ops", "wg-staff", "nobody"]));
        Assert.Empty(options.ServerGroups(["nobody"]));
    }
}
