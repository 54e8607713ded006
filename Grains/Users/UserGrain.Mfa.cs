using Microsoft.Extensions.Logging;

namespace OrleansWg.Grains.Users;

/// <summary>A user's MFA: a one-time code (TOTP) at connect, its enrollment, recovery codes and reset.</summary>
public sealed partial class UserGrain
{
    public async Task<MfaChange> BeginMfa(MfaLogin login)
    {
        var now = clock.GetUtcNow();
        if (!secrets.CanSeal)
        {
            return new MfaChange(ConnectStatus.MfaUnavailable, "this cluster cannot keep MFA secrets: an operator must set Users:SecretKeys", null);
        }

        if ((await CheckPassword(login.Password, login.Source, now) ?? await CheckCode(login.Otp, null, login.Source, now)) is { } refused)
        {
            return MfaChange.Refused(refused);
        }

        var secret = TotpCodes.NewSecret();
        state.State.Mfa ??= new MfaState();
        state.State.Mfa.PendingSealedSecret = secrets.Seal(Name, secret);
        await state.WriteStateAsync();
        await audit.Append(new AuditEvent(now, AuditKinds.Mfa, MfaOutcomes.Begun, Name, login.Source));
        return new MfaChange(ConnectStatus.Connected, null, null, Secret: secret);
    }

    public async Task<MfaChange> ConfirmMfa(MfaLogin login, string code)
    {
        var now = clock.GetUtcNow();
        if (await CheckPassword(login.Password, login.Source, now) is { } refused)
        {
            return MfaChange.Refused(refused);
        }

        if (state.State.Mfa is not { PendingSealedSecret: { } pending })
        {
            return new MfaChange(ConnectStatus.Conflict, "no enrollment was begun, or it was confirmed already: begin one (owg mfa enroll)", null);
        }

        if (TotpCodes.Verify(secrets.Open(Name, pending), code, now, lastStep: 0) is not { } step)
        {
            return MfaChange.Refused(await RefuseCode(login.Source, now));
        }

        var (codes, hashes) = RecoveryCodes.Make();
        state.State.Mfa = new MfaState { SealedSecret = pending, LastStep = step, RecoveryCodeHashes = hashes };
        await state.WriteStateAsync();
        await audit.Append(new AuditEvent(now, AuditKinds.Mfa, MfaOutcomes.Enrolled, Name, login.Source));
        logger.LogInformation("{User} enrolled in MFA", Name);
        return new MfaChange(ConnectStatus.Connected, null, null, RecoveryCodes: codes);
    }

    public async Task<bool> ResetMfa()
    {
        if (!state.State.Exists)
        {
            return false;
        }

        state.State.Mfa = null;
        await state.WriteStateAsync();
        logger.LogInformation("MFA of {User} reset by an admin", Name);
        return true;
    }

    /// <summary>
    /// The one-time code of a user enrolled in MFA: the code of this time step (or the one before or
    /// after) not taken before, or one of their recovery codes. A code taken is kept in memory here
    /// and written with the connect. The connect that took a code, tried again with the same
    /// idempotency key (its answer was lost, or no server was free), may give the same code again,
    /// and so may the connect that spent a recovery code.
    /// </summary>
    /// <param name="connect">The idempotency key of the connect; null for a change of the MFA itself.</param>
    /// <returns>null when no code is needed or the code is right, else the refusal.</returns>
    private async Task<ConnectResult?> CheckCode(string? code, string? connect, string source, DateTimeOffset now)
    {
        if (state.State.Mfa is not { SealedSecret: { } sealedSecret } mfa)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(code))
        {
            await Audit(LoginOutcomes.OtpRequired, source, now);
            return ConnectResult.Failed(ConnectStatus.OtpRequired, "this user connects with a one-time code from their authenticator app as well");
        }

        var retried = connect is not null && connect == mfa.LastStepConnect;
        if (TotpCodes.Verify(secrets.Open(Name, sealedSecret), code.Trim(), now, retried ? mfa.LastStep - 1 : mfa.LastStep) is { } step)
        {
            mfa.LastStep = step;
            mfa.LastStepConnect = connect;
            return null;
        }

        var recoveryCode = RecoveryCodes.Hash(code);
        if (connect is not null && connect == mfa.LastRecoveryConnect && recoveryCode == mfa.LastRecoveryCode)
        {
            return null;
        }

        if (mfa.RecoveryCodeHashes.Remove(recoveryCode))
        {
            (mfa.LastRecoveryCode, mfa.LastRecoveryConnect) = (recoveryCode, connect);
            await state.WriteStateAsync();
            return null;
        }

        return await RefuseCode(source, now);
    }

    /// <summary>A wrong one-time code counts towards the lockout like a wrong password.</summary>
    private async Task<ConnectResult> RefuseCode(string source, DateTimeOffset now)
    {
        Lockout.RecordFailure(state.State.Logins, source, now, options.Value);
        await state.WriteStateAsync();
        await Audit(LoginOutcomes.WrongOtp, source, now);
        return ConnectResult.Failed(ConnectStatus.WrongOtp, WrongCode);
    }
}
