using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Sso;

public sealed record SsoTokenBody(string? DeviceCode) : IValidatable
{
    public Validation Validate() => new Validation().Check(DeviceCode is { Length: > 0 and <= 256 }, "deviceCode", "required: the deviceCode of /v1/sso/device");

    public override string ToString() => "SsoTokenBody";
}

/// <param name="VerificationUri">Where the user logs in, in any browser, and enters <paramref name="UserCode"/>.</param>
/// <param name="VerificationUriComplete">That page with the code filled in; null when the provider has none.</param>
/// <param name="Qr">A QR code of the page (with the code when there is one), as text for a terminal.</param>
/// <param name="Interval">Seconds to wait between polls of /v1/sso/token.</param>
public sealed record SsoDeviceResponse(string DeviceCode, string UserCode, string VerificationUri, string? VerificationUriComplete, int ExpiresIn, int Interval, string Qr)
{
    public override string ToString() => $"SsoDeviceResponse {{ VerificationUri = {VerificationUri} }}";
}

/// <param name="SsoGrant">What /v1/connect takes in place of the password, with <paramref name="Username"/>, until <paramref name="ExpiresAt"/>.</param>
public sealed record SsoTokenResponse(string Username, string SsoGrant, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"SsoTokenResponse {{ Username = {Username} }}";
}
