using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
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
        // Plain http only for a provider on this host's loopback (SsoOptions.Validate), as in tests.
        this.configuration = configuration ?? new ConfigurationManager<OpenIdConnectConfiguration>(
            $"{this.options.Issuer.TrimEnd('/')}/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(http) { RequireHttps = this.options.Issuer.StartsWith("https:", StringComparison.Ordinal) })
        {
            // How soon a token signed by a key not yet seen may fetch the provider's keys again.
            RefreshInterval = TimeSpan.FromSeconds(30),
        };
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

    /// <summary>The token endpoint's answer to a device code: the user's checked identity once they have logged in, else why not yet (<see cref="ProviderAnswer.Error"/>).</summary>
    /// <exception cref="HttpRequestException">The provider did not answer, or not as the protocol says.</exception>
    public async Task<ProviderAnswer> RedeemDeviceCode(string deviceCode) =>
        await Check(await Token(new() { ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code", ["device_code"] = deviceCode }), idTokenNeeded: true);

    /// <summary>The token endpoint's answer to a refresh token: new tokens while the provider still lets the user in, else invalid_grant.</summary>
    /// <exception cref="HttpRequestException">The provider did not answer, or not as the protocol says.</exception>
    public async Task<ProviderAnswer> Refresh(string refreshToken) =>
        await Check(await Token(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["scope"] = options.Scopes }), idTokenNeeded: false);

    /// <summary>
    /// Checks an ID token: signed by one of the provider's keys, from its issuer, for this client,
    /// not expired (a minute's clock skew). The device and refresh grants send no nonce. A key the
    /// cached set lacks (the provider rotated its keys) makes one fetch of the set anew.
    /// </summary>
    /// <returns>The user's subject (the issuer's and its id), name claim and groups; null when the token does not check out.</returns>
    public async Task<CheckedIdentity?> Validate(string idToken)
    {
        var result = await ValidateWith(idToken, await configuration.GetConfigurationAsync(CancellationToken.None));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            configuration.RequestRefresh();
            result = await ValidateWith(idToken, await configuration.GetConfigurationAsync(CancellationToken.None));
        }

        if (!result.IsValid)
        {
            logger.LogWarning("An ID token did not check out: {Reason}", result.Exception?.Message);
            return null;
        }

        var token = (JsonWebToken)result.SecurityToken;
        var groups = token.TryGetPayloadValue<string[]>(options.GroupsClaim, out var list) ? list
            : token.TryGetPayloadValue<string>(options.GroupsClaim, out var one) ? [one] : [];
        return new CheckedIdentity($"{options.Issuer}|{token.Subject}", token.TryGetPayloadValue<string>(options.UserNameClaim, out var name) ? name : null, [.. groups]);
    }

    private Task<TokenValidationResult> ValidateWith(string idToken, OpenIdConnectConfiguration discovery) =>
        tokens.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = discovery.Issuer ?? options.Issuer,
            ValidAudience = options.ClientId,
            IssuerSigningKeys = discovery.SigningKeys,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromMinutes(1),
        });

    private async Task<ProviderAnswer> Check(TokenAnswer answer, bool idTokenNeeded)
    {
        if (answer.Error is { } error)
        {
            return new ProviderAnswer(error, null, null);
        }

        var identity = answer.IdToken is { } idToken ? await Validate(idToken) : null;
        return identity is null && (idTokenNeeded || answer.IdToken is not null)
            ? new ProviderAnswer(ProviderAnswer.IdTokenRefused, null, null)
            : new ProviderAnswer(null, identity, answer.RefreshToken);
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
        // An error of the provider's own (5xx) or an answer that is not the protocol's JSON (a proxy's
        // page) says nothing of the user: the caller takes it for an outage, never for a refusal.
        if ((int)response.StatusCode >= 500)
        {
            throw new HttpRequestException($"the identity provider answered HTTP {(int)response.StatusCode}", null, response.StatusCode);
        }

        try
        {
            return await response.Content.ReadFromJsonAsync<TokenAnswer>() ?? throw new HttpRequestException("the identity provider answered nothing");
        }
        catch (JsonException exception)
        {
            throw new HttpRequestException("the identity provider's answer is not JSON", exception);
        }
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

/// <summary>The user the provider vouches for, from a checked ID token.</summary>
/// <param name="Subject">The provider's issuer and its id of the user: what ties them to one user here.</param>
public sealed record CheckedIdentity(string Subject, string? UserName, ImmutableArray<string> Groups);

/// <summary>The token endpoint's answer, its ID token checked.</summary>
/// <param name="Error">The OAuth error (authorization_pending, invalid_grant, ...) or <see cref="IdTokenRefused"/>; null: tokens.</param>
/// <param name="Identity">The checked ID token's user; null when the answer had none (a refresh may not).</param>
public sealed record ProviderAnswer(string? Error, CheckedIdentity? Identity, string? RefreshToken)
{
    public const string IdTokenRefused = "id_token_refused";

    public override string ToString() => $"ProviderAnswer {{ Error = {Error}, Identity = {Identity} }}";
}
