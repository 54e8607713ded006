namespace OrleansWg;

/// <summary>A login to change the user's own MFA: the password, the current code once enrolled, and where it comes from.</summary>
[GenerateSerializer, Immutable, Alias("owg.MfaLogin")]
public sealed record MfaLogin(string Password, string? Otp, string Source)
{
    public override string ToString() => $"MfaLogin {{ Source = {Source} }}";
}

/// <summary>What an MFA change came to: <see cref="ConnectStatus.Connected"/> when it was made, else why not (as a connect says it).</summary>
/// <param name="Secret">For an enrollment begun: the new TOTP secret in base32, to show the user once.</param>
/// <param name="RecoveryCodes">For an enrollment confirmed: the recovery codes, to show the user once.</param>
[GenerateSerializer, Immutable, Alias("owg.MfaChange")]
public sealed record MfaChange(ConnectStatus Status, string? Detail, TimeSpan? RetryAfter, string? Secret = null, ImmutableArray<string> RecoveryCodes = default)
{
    public static MfaChange Refused(ConnectResult refusal) => new(refusal.Status, refusal.Detail, refusal.RetryAfter);

    public override string ToString() => $"MfaChange {{ Status = {Status}, Detail = {Detail} }}";
}
