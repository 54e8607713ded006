using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace OrleansWg.Grains.Sso;

/// <summary>
/// The cluster's calls to the OpenID Connect provider: the device authorization grant (RFC 8628),
/// the token endpoint (device code and refresh token grants) and the ID token's checks. The
/// discovery document and the signing keys come from Microsoft.IdentityModel's configuration
/// manager, which caches them and fetches them again when a token names a key it has not seen.
/// </summary>
public sealed class OidcClient
{
    private readonly SsoOptions options;
    private readonly HttpClient http;
    private readonly ILogger<OidcClient> logger;
    private readonly IConfigurationManager<OpenIdConnectConfiguration> configuration;
    private readonly JsonWebTokenHandler tokens = new() { MapInboundClaims = false };

    public OidcClient(IOptions<SsoOptions> options, HttpClient http, ILogger<OidcClient> logger, IConfigurationManager<OpenIdConnectConfiguration>? configuration = null)
    {
        this.options = options.Value;
        this.http = http;
        this.logger = logger;
        // Plain http only for a provider on this host's loopback (SsoOptions.IsValid), as in tests.
        this.configuration = configuration ?? new ConfigurationManager<OpenIdConnectConfiguration>(
            $"{this.options.Issuer.TrimEnd('/')}/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(http) { RequireHttps = this.options.Issuer.StartsWith("https:", StringComparison.Ordinal) });
    }

    public async Task<DeviceLogin> BeginDeviceLogin()
    {
        var discovery = await configuration.GetConfigurationAsync(CancellationToken.None);
        var answer = await Post(discovery.DeviceAuthorizationEndpoint, new() { ["scope"] = options.Scopes });
        if (answer.Error is not null || answer.DeviceCode is null || answer.UserCode is null || answer.VerificationUri is null)
        {
            logger.LogWarning("The identity provider refused a device login: {Error} {Description}", answer.Error, answer.ErrorDescription);
            return new DeviceLogin(SsoStatus.Unavailable, "the identity provider refused to begin a login", null, null, null, null, default, default);
        }

        return new DeviceLogin(SsoStatus.Pending, null, answer.DeviceCode, answer.UserCode, answer.VerificationUri, answer.VerificationUriComplete,
            TimeSpan.FromSeconds(answer.ExpiresIn ?? 600), TimeSpan.FromSeconds(answer.Interval ?? 5));
    }

    /// <summary>The token endpoint's answer to a device code: tokens once the user has logged in, else why not yet (<see cref="TokenAnswer.Error"/>).</summary>
    public Task<TokenAnswer> RedeemDeviceCode(string deviceCode) =>
        Token(new() { ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code", ["device_code"] = deviceCode });

    /// <summary>The token endpoint's answer to a refresh token: new tokens while the provider still lets the user in, else invalid_grant.</summary>
    public Task<TokenAnswer> Refresh(string refreshToken) =>
        Token(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["scope"] = options.Scopes });

    /// <summary>
    /// Checks an ID token: signed by one of the provider's keys, from its issuer, for this client,
    /// not expired (a minute's clock skew). The device and refresh grants send no nonce.
    /// </summary>
    /// <returns>The user's subject, name claim and groups; null when the token does not check out.</returns>
    public async Task<(string Subject, string? UserName, ImmutableArray<string> Groups)?> Validate(string idToken)
    {
        var discovery = await configuration.GetConfigurationAsync(CancellationToken.None);
        var result = await tokens.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = discovery.Issuer ?? options.Issuer,
            ValidAudience = options.ClientId,
            IssuerSigningKeys = discovery.SigningKeys,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromMinutes(1),
        });
        if (!result.IsValid)
        {
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                configuration.RequestRefresh();
            }

            logger.LogWarning("An ID token did not check out: {Reason}", result.Exception?.Message);
            return null;
        }

        var token = (JsonWebToken)result.SecurityToken;
        var groups = token.TryGetPayloadValue<string[]>(options.GroupsClaim, out var list) ? list
            : token.TryGetPayloadValue<string>(options.GroupsClaim, out var one) ? [one] : [];
        return (token.Subject, token.TryGetPayloadValue<string>(options.UserNameClaim, out var name) ? name : null, [.. groups]);
    }

    private async Task<TokenAnswer> Token(Dictionary<string, string> form)
    {
        var discovery = await configuration.GetConfigurationAsync(CancellationToken.None);
        return await Post(discovery.TokenEndpoint, form);
    }

    private async Task<TokenAnswer> Post(string endpoint, Dictionary<string, string> form)
    {
        // client_secret_basic, the provider's default for a client with a secret; a public client sends its id.
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        if (options.ClientSecret.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
                Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(options.ClientId)}:{Uri.EscapeDataString(options.ClientSecret)}")));
        }
        else
        {
            form["client_id"] = options.ClientId;
            request.Content = new FormUrlEncodedContent(form);
        }

        using var response = await http.SendAsync(request);
        return await response.Content.ReadFromJsonAsync<TokenAnswer>() ?? new TokenAnswer { Error = "empty_answer" };
    }
}

/// <summary>What the provider's device authorization and token endpoints answer (RFC 8628, RFC 6749), as JSON.</summary>
public sealed record TokenAnswer
{
    [JsonPropertyName("error")] public string? Error { get; init; }

    [JsonPropertyName("error_description")] public string? ErrorDescription { get; init; }

    [JsonPropertyName("id_token")] public string? IdToken { get; init; }

    [JsonPropertyName("refresh_token")] public string? RefreshToken { get; init; }

    [JsonPropertyName("device_code")] public string? DeviceCode { get; init; }

    [JsonPropertyName("user_code")] public string? UserCode { get; init; }

    [JsonPropertyName("verification_uri")] public string? VerificationUri { get; init; }

    [JsonPropertyName("verification_uri_complete")] public string? VerificationUriComplete { get; init; }

    [JsonPropertyName("expires_in")] public int? ExpiresIn { get; init; }

    [JsonPropertyName("interval")] public int? Interval { get; init; }

    public override string ToString() => $"TokenAnswer {{ Error = {Error} }}";
}
