namespace OrleansWg;

/// <param name="ClientPublicKey">The client's WireGuard public key (base64); null asks the server to make a key pair.</param>
/// <param name="ServerId">Narrows the choice to this server; null lets the directory choose.</param>
/// <param name="IdempotencyKey">
/// Names this connect: the same user and key always come to the same session, so a connect
/// retried after an unknown outcome (a silo died, a timeout) never makes a second session.
/// </param>
/// <param name="Source">Where the login comes from (the client's address): failed logins are counted per user and source.</param>
/// <param name="Otp">The one-time code (TOTP) or a recovery code of a user who has enrolled in MFA; null: none given.</param>
/// <param name="SsoGrant">In place of the password: the grant of the user's single sign-on (<see cref="ISsoGrain.PollDeviceLogin"/>).</param>
[GenerateSerializer, Immutable, Alias("owg.ConnectRequest")]
public sealed record ConnectRequest(string Password, string? ClientPublicKey, string? ServerId, string IdempotencyKey, string Source, string? Otp = null,
    string? SsoGrant = null)
{
    public override string ToString() =>
        $"ConnectRequest {{ ClientPublicKey = {ClientPublicKey}, ServerId = {ServerId}, IdempotencyKey = {IdempotencyKey}, Source = {Source} }}";
}
