using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OrleansWg.Grains.Users;

namespace OrleansWg.Grains.Admin;

public sealed class AdminAccountsGrain(
    [PersistentState("admin-accounts", StorageNames.Default)] IPersistentState<AdminAccountsState> state,
    PasswordChecks passwords,
    TimeProvider clock,
    ILogger<AdminAccountsGrain> logger) : Grain, IAdminAccountsGrain
{
    /// <summary>The most accounts, live tokens, and live tokens of one account, so that no flood grows the state without bound.</summary>
    public const int MaxAccounts = 200;
    public const int MaxTokens = 1000;
    public const int MaxTokensPerAccount = 50;

    /// <summary>The most tokens kept, ended ones included: past it the ended ones that ended first are forgotten.</summary>
    public const int MaxTokensKept = 2 * MaxTokens;

    /// <summary>How long a revoked or expired token stays in the lists before it is forgotten.</summary>
    public static readonly TimeSpan EndedTokensKeptFor = TimeSpan.FromDays(30);

    /// <summary>How often the tokens' last use is written: a request that uses a token writes nothing itself.</summary>
    public static readonly TimeSpan LastUseWritePeriod = TimeSpan.FromMinutes(1);

    private bool lastUseUnwritten;

    private Dictionary<string, AdminAccount> Accounts => state.State.Accounts;

    private Dictionary<string, ApiToken> Tokens => state.State.Tokens;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(WriteLastUse, new GrainTimerCreationOptions(LastUseWritePeriod, LastUseWritePeriod));
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => WriteLastUse();

    public async Task<bool> Bootstrap(string name, string password)
    {
        if (state.State.Bootstrapped)
        {
            return false;
        }

        Accounts[name] = new AdminAccount
        {
            Role = AdminRole.Owner, PasswordHash = await passwords.Create(password), Created = clock.GetUtcNow(), Generation = ++state.State.LastGeneration,
        };
        state.State.Bootstrapped = true;
        await state.WriteStateAsync();
        logger.LogInformation("The first owner, {Account}, was made with the bootstrap secret", name);
        return true;
    }

    public async Task<bool> CreateAccount(string name, AdminRole role, string? password)
    {
        if (Accounts.ContainsKey(name) || Accounts.Count >= MaxAccounts)
        {
            return false;
        }

        Accounts[name] = new AdminAccount
        {
            Role = role, PasswordHash = password is null ? null : await passwords.Create(password), Created = clock.GetUtcNow(),
            Generation = ++state.State.LastGeneration,
        };
        await state.WriteStateAsync();
        return true;
    }

    public async Task<AccountChange> DeleteAccount(string name)
    {
        if (IsLastOwner(name))
        {
            return AccountChange.LastOwner;
        }

        if (!Accounts.Remove(name))
        {
            return AccountChange.NotFound;
        }

        RevokeTokens(name, _ => true);
        await state.WriteStateAsync();
        return AccountChange.Done;
    }

    public async Task<AccountChange> SetRole(string name, AdminRole role)
    {
        if (role != AdminRole.Owner && IsLastOwner(name))
        {
            return AccountChange.LastOwner;
        }

        return await Change(name, account =>
        {
            account.Role = role;
            RevokeTokens(name, token => !role.Covers(token.Role));
        }) ? AccountChange.Done : AccountChange.NotFound;
    }

    public async Task<bool> SetPassword(string name, string password)
    {
        if (!Accounts.TryGetValue(name, out var account) || account.PasswordHash is null)
        {
            return false;
        }

        var hash = await passwords.Create(password);
        return await Change(name, changed => changed.PasswordHash = hash);
    }

    public async Task<bool> ChangeOwnPassword(string name, string current, string password) =>
        await passwords.Verify(current, Accounts.GetValueOrDefault(name)?.PasswordHash) is true && await SetPassword(name, password);

    public Task<bool> ResetTotp(string name) => Change(name, account =>
    {
        account.TotpSecret = null;
        account.PendingTotpSecret = null;
    });

    public Task<AdminAccountView?> GetAccount(string name) =>
        Task.FromResult(Accounts.TryGetValue(name, out var account) ? View(name, account) : null);

    public Task<ImmutableArray<AdminAccountView>> ListAccounts() =>
        Task.FromResult(Accounts.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => View(entry.Key, entry.Value)).ToImmutableArray());

    public async Task<AdminLogin> LogIn(string name, string password, string? code)
    {
        var account = Accounts.GetValueOrDefault(name);
        if (await passwords.Verify(password, account?.PasswordHash) is not true || account is null)
        {
            return new AdminLogin(AdminLoginOutcome.WrongCredentials);
        }

        if (account.TotpSecret is { } secret)
        {
            if (TotpCodes.Verify(secret, code, clock.GetUtcNow(), account.LastTotpStep) is not { } step)
            {
                return new AdminLogin(AdminLoginOutcome.CodeNeeded);
            }

            account.LastTotpStep = step;
            await state.WriteStateAsync();
            return LoggedIn(account);
        }

        if (!state.State.Settings.TotpRequiredFor.Contains(account.Role))
        {
            return LoggedIn(account);
        }

        account.PendingTotpSecret = TotpCodes.NewSecret();
        await state.WriteStateAsync();
        return new AdminLogin(AdminLoginOutcome.TotpSetupNeeded, account.Role, account.Generation, account.PendingTotpSecret);
    }

    public async Task<AdminLogin> ConfirmTotp(string name, int generation, string secret, string code)
    {
        if (!Accounts.TryGetValue(name, out var account) || account.Generation != generation || account.PendingTotpSecret is not { } pending
            || pending != secret || TotpCodes.Verify(pending, code, clock.GetUtcNow(), account.LastTotpStep) is not { } step)
        {
            return new AdminLogin(AdminLoginOutcome.CodeNeeded);
        }

        account.TotpSecret = pending;
        account.PendingTotpSecret = null;
        account.LastTotpStep = step;
        await state.WriteStateAsync();
        return LoggedIn(account);
    }

    public Task<AdminRole?> CheckLogin(string name, int generation) => Task.FromResult(
        Accounts.TryGetValue(name, out var account) && account.Generation == generation ? account.Role : (AdminRole?)null);

    public async Task<ApiTokenIssue> IssueToken(ApiTokenRequest request)
    {
        var now = clock.GetUtcNow();
        ForgetEndedTokens(now);
        var outcome = !Accounts.TryGetValue(request.Account, out var account) ? ApiTokenIssueOutcome.UnknownAccount
            : !account.Role.Covers(request.Role) ? ApiTokenIssueOutcome.RoleNotCovered
            : request.Expires <= now || request.Expires > now + state.State.Settings.MaxTokenLifetime ? ApiTokenIssueOutcome.ExpiryOutOfRange
            : LiveTokens(now).Count() >= MaxTokens || LiveTokens(now).Count(token => token.Account == request.Account) >= MaxTokensPerAccount
                ? ApiTokenIssueOutcome.TooMany
            : ApiTokenIssueOutcome.Issued;
        if (outcome != ApiTokenIssueOutcome.Issued)
        {
            return new ApiTokenIssue(outcome);
        }

        var (id, text, secretHash) = ApiTokens.Make();
        var token = new ApiToken
        {
            Account = request.Account, Name = request.Name, Role = request.Role, SecretHash = secretHash, Created = now, Expires = request.Expires,
        };
        Tokens[id] = token;
        await state.WriteStateAsync();
        return new ApiTokenIssue(outcome, View(id, token), text);
    }

    public Task<AdminActor?> Authenticate(string tokenId, byte[] secretHash)
    {
        var now = clock.GetUtcNow();
        if (!Tokens.TryGetValue(tokenId, out var token) || token.Revoked is not null || token.Expires <= now
            || !CryptographicOperations.FixedTimeEquals(token.SecretHash, secretHash))
        {
            return Task.FromResult<AdminActor?>(null);
        }

        token.LastUsed = now;
        lastUseUnwritten = true;
        return Task.FromResult<AdminActor?>(new AdminActor(token.Account, token.Role, tokenId));
    }

    public Task<ImmutableArray<ApiTokenView>> ListTokens(string? account) => Task.FromResult(Tokens
        .Where(entry => account is null || entry.Value.Account == account)
        .OrderBy(entry => entry.Value.Created).Select(entry => View(entry.Key, entry.Value)).ToImmutableArray());

    public Task<ApiTokenView?> GetToken(string tokenId) =>
        Task.FromResult(Tokens.TryGetValue(tokenId, out var token) ? View(tokenId, token) : null);

    public async Task<bool> RevokeToken(string tokenId)
    {
        if (!Tokens.TryGetValue(tokenId, out var token))
        {
            return false;
        }

        token.Revoked ??= clock.GetUtcNow();
        await state.WriteStateAsync();
        return true;
    }

    public Task<AdminSettings> GetSettings() => Task.FromResult(state.State.Settings);

    public async Task SetSettings(AdminSettings settings)
    {
        state.State.Settings = settings;
        await state.WriteStateAsync();
    }

    /// <summary>Changes an account and ends its console logins.</summary>
    public async Task<AdminLogin> SsoLogIn(string name, string subject, AdminRole role)
    {
        if (Accounts.TryGetValue(name, out var account))
        {
            if (account.SsoSubject != subject)
            {
                return new AdminLogin(AdminLoginOutcome.WrongCredentials);
            }

            if (account.Role != role)
            {
                await Change(name, changed =>
                {
                    changed.Role = role;
                    RevokeTokens(name, token => !role.Covers(token.Role));
                });
            }

            return LoggedIn(account);
        }

        if (Accounts.Count >= MaxAccounts)
        {
            return new AdminLogin(AdminLoginOutcome.WrongCredentials);
        }

        Accounts[name] = account = new AdminAccount { Role = role, SsoSubject = subject, Created = clock.GetUtcNow(), Generation = ++state.State.LastGeneration };
        await state.WriteStateAsync();
        logger.LogInformation("{Account} was made by single sign-on, as {Role}", name, role);
        return LoggedIn(account);
    }

    private async Task<bool> Change(string name, Action<AdminAccount> change)
    {
        if (!Accounts.TryGetValue(name, out var account))
        {
            return false;
        }

        change(account);
        account.PendingTotpSecret = null;
        account.Generation = ++state.State.LastGeneration;
        await state.WriteStateAsync();
        return true;
    }

    /// <summary>Whether <paramref name="name"/> is the one person who is an owner: a service account cannot log in to make another.</summary>
    private bool IsLastOwner(string name) =>
        Accounts.TryGetValue(name, out var account) && IsPersonOwner(account) && Accounts.Values.Count(IsPersonOwner) == 1;

    private static bool IsPersonOwner(AdminAccount account) => account.Role == AdminRole.Owner && account.PasswordHash is not null;

    private IEnumerable<ApiToken> LiveTokens(DateTimeOffset now) => Tokens.Values.Where(token => token.Revoked is null && token.Expires > now);

    private void RevokeTokens(string account, Func<ApiToken, bool> which)
    {
        foreach (var token in Tokens.Values.Where(token => token.Account == account && token.Revoked is null && which(token)))
        {
            token.Revoked = clock.GetUtcNow();
        }
    }

    private void ForgetEndedTokens(DateTimeOffset now)
    {
        var ended = Tokens.Where(entry => entry.Value.Revoked is not null || entry.Value.Expires <= now)
            .OrderBy(entry => entry.Value.Revoked ?? entry.Value.Expires).ToList();
        var surplus = Tokens.Count - MaxTokensKept;
        foreach (var (id, token) in ended)
        {
            if ((token.Revoked ?? token.Expires) < now - EndedTokensKeptFor || surplus-- > 0)
            {
                Tokens.Remove(id);
            }
        }
    }

    private async Task WriteLastUse()
    {
        if (lastUseUnwritten)
        {
            lastUseUnwritten = false;
            await state.WriteStateAsync();
        }
    }

    private static AdminLogin LoggedIn(AdminAccount account) => new(AdminLoginOutcome.LoggedIn, account.Role, account.Generation);

    private static AdminAccountView View(string name, AdminAccount account) =>
        new(name, account.Role, account.PasswordHash is not null, account.TotpSecret is not null, account.Created);

    private static ApiTokenView View(string id, ApiToken token) =>
        new(id, token.Account, token.Name, token.Role, token.Created, token.Expires, token.LastUsed, token.Revoked is not null);
}
