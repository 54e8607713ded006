namespace OrleansWg;

/// <summary>One account, keyed by its lower-case user name.</summary>
[Alias("owg.IUserGrain")]
[Version(1)]
public interface IUserGrain : IGrainWithStringKey
{
    /// <returns>false when the user exists already.</returns>
    [Alias("Create")] Task<bool> Create(string password);

    /// <returns>false when there is no such user.</returns>
    [Alias("Delete")] Task<bool> Delete();

    /// <summary>Sets a new password, ends the user's sessions (credentials-changed) and lifts every lockout.</summary>
    [Alias("SetPassword")] Task<bool> SetPassword(string password);

    /// <summary>An admin's lock ends the user's sessions (credentials-changed) and refuses connects; unlocking also lifts every lockout.</summary>
    [Alias("SetLocked")] Task<bool> SetLocked(bool locked);

    [Alias("SetPermissions")] Task<bool> SetPermissions(ServerPermissions permissions);

    /// <summary>Sets the user's own bandwidth limit (null: none, the server group's applies) and applies it to their live sessions.</summary>
    /// <returns>false when there is no such user.</returns>
    [Alias("SetLimit")] Task<bool> SetLimit(BandwidthLimit? limit);

    [Alias("Describe")] Task<UserProfile?> Describe();

    /// <summary>
    /// Begins an enrollment in MFA: a new TOTP secret, kept aside until a first code confirms it.
    /// A user enrolled already must give a current code; the old secret holds until the new one is confirmed.
    /// </summary>
    [Alias("BeginMfa")] Task<MfaChange> BeginMfa(MfaLogin login);

    /// <summary>Confirms the secret <see cref="BeginMfa"/> gave with its first code: from now on a connect needs a code. Answers new recovery codes.</summary>
    [Alias("ConfirmMfa")] Task<MfaChange> ConfirmMfa(MfaLogin login, string code);

    /// <summary>An admin forgets the user's MFA (a lost phone): the next connect needs only the password, unless a group requires MFA.</summary>
    /// <returns>false when there is no such user.</returns>
    [Alias("ResetMfa")] Task<bool> ResetMfa();

    /// <summary>
    /// A login by single sign-on: makes the user on their first (just in time), or updates theirs,
    /// with the groups the provider gives, and answers a grant their connects take in place of a
    /// password. Refused for a user of this name whom another subject (or a password) made.
    /// </summary>
    [Alias("SsoLogin")] Task<SsoPoll> SsoLogin(SsoIdentity identity);

    /// <summary>What the provider said at a re-check (<see cref="ISsoGrain.Recheck"/>): refused, the user's sessions end.</summary>
    [Alias("ApplySsoRecheck")] Task ApplySsoRecheck(SsoRecheck recheck);

    /// <param name="givenUp">
    /// Cancelled when the caller gives the attempt up: one that still waits in the grain's queue leaves
    /// it, so that attempts tried again do not pile up there; one that has started stops if it has not
    /// yet started a session, and otherwise runs to its end (tried again with the same idempotency key,
    /// it answers the same session). Orleans delivers the cancellation at best effort.
    /// </param>
    [Alias("Connect")] Task<ConnectResult> Connect(ConnectRequest request, CancellationToken givenUp = default);

    /// <summary>
    /// The servers the user may be placed on now, best first, without <paramref name="excluded"/>:
    /// where a moving session may go. A read that may interleave, as a session asks it while the
    /// user may be waiting on that session.
    /// </summary>
    [Alias("RankServers"), AlwaysInterleave] Task<ImmutableArray<string>> RankServers(string excluded);

    /// <summary>Told by a session when it ends; one-way so a closing session never waits on its user.</summary>
    [Alias("SessionEnded"), OneWay] Task SessionEnded(Guid sessionId);
}
