using OtpNet;

namespace OrleansWg.Grains.Tests;

/// <summary>The admin accounts grain, on a clock the tests move.</summary>
[Collection(FakeClockClusterCollection.Name)]
public sealed class AdminAccountsTests(FakeClockClusterFixture cluster)
{
    private const string Password = "a-password-of-this-test";

    // One grain for the whole cluster: each test works on accounts of its own names.
    private readonly IAdminAccountsGrain accounts = cluster.Client.GetGrain<IAdminAccountsGrain>(0);
    private readonly string name = $"a{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task A_token_works_until_its_expiry_and_not_a_moment_after()
    {
        await accounts.CreateAccount(name, AdminRole.Admin, null);
        var issued = await accounts.IssueToken(new ApiTokenRequest(name, AdminRole.Auditor, "ci", cluster.Clock.GetUtcNow().AddHours(1)));
        var (id, secretHash) = ApiTokens.Parse(issued.Token)!.Value;

        var before = await accounts.Authenticate(id, secretHash);
        cluster.Clock.Advance(TimeSpan.FromHours(1));
        var atExpiry = await accounts.Authenticate(id, secretHash);

        Assert.Equal(ApiTokenIssueOutcome.Issued, issued.Outcome);
        Assert.Equal(new AdminActor(name, AdminRole.Auditor, id), before);
        Assert.Null(atExpiry);
        Assert.NotNull((await accounts.GetToken(id))!.LastUsed);
    }

    [Fact]
    public async Task A_token_is_refused_a_role_its_account_does_not_cover_and_an_expiry_past_the_owners_maximum()
    {
        await accounts.CreateAccount(name, AdminRole.Helpdesk, null);
        var now = cluster.Clock.GetUtcNow();

        var admin = await accounts.IssueToken(new ApiTokenRequest(name, AdminRole.Admin, "more", now.AddDays(1)));
        var metrics = await accounts.IssueToken(new ApiTokenRequest(name, AdminRole.Metrics, "scrape", now.AddDays(1)));
        var tooLong = await accounts.IssueToken(new ApiTokenRequest(name, AdminRole.Helpdesk, "forever", now.AddDays(366)));
        var past = await accounts.IssueToken(new ApiTokenRequest(name, AdminRole.Helpdesk, "past", now.AddSeconds(-1)));

        Assert.Equal([ApiTokenIssueOutcome.RoleNotCovered, ApiTokenIssueOutcome.RoleNotCovered, ApiTokenIssueOutcome.ExpiryOutOfRange, ApiTokenIssueOutcome.ExpiryOutOfRange],
            [admin.Outcome, metrics.Outcome, tooLong.Outcome, past.Outcome]);
    }

    [Fact]
    public async Task A_totp_code_is_taken_near_its_time_and_only_once()
    {
        await accounts.CreateAccount(name, AdminRole.Owner, Password);
        var setup = await accounts.LogIn(name, Password, null);
        var totp = new Totp(Base32Encoding.ToBytes(setup.TotpSecret));
        var now = cluster.Clock.GetUtcNow().UtcDateTime;

        var confirmed = await accounts.ConfirmTotp(name, setup.Generation, setup.TotpSecret!, totp.ComputeTotp(now));
        var replayed = await accounts.LogIn(name, Password, totp.ComputeTotp(now));
        var tooOld = await accounts.LogIn(name, Password, totp.ComputeTotp(now.AddMinutes(-2)));
        var next = await accounts.LogIn(name, Password, totp.ComputeTotp(now.AddSeconds(30)));
        var wrongPassword = await accounts.LogIn(name, "not the password", totp.ComputeTotp(now.AddSeconds(60)));

        Assert.Equal(AdminLoginOutcome.TotpSetupNeeded, setup.Outcome);
        Assert.Equal(AdminLoginOutcome.LoggedIn, confirmed.Outcome);
        Assert.Equal((AdminLoginOutcome.CodeNeeded, AdminLoginOutcome.CodeNeeded), (replayed.Outcome, tooOld.Outcome));
        Assert.Equal(AdminLoginOutcome.LoggedIn, next.Outcome);
        Assert.Equal(AdminLoginOutcome.WrongCredentials, wrongPassword.Outcome);
    }

    [Fact]
    public async Task A_new_role_ends_the_accounts_logins_and_revokes_the_tokens_it_does_not_cover()
    {
        await accounts.CreateAccount(name, AdminRole.Admin, Password);
        var login = await accounts.LogIn(name, Password, null);
        var expires = cluster.Clock.GetUtcNow().AddDays(1);
        var adminToken = ApiTokens.Parse((await accounts.IssueToken(new ApiTokenRequest(name, AdminRole.Admin, "admin", expires))).Token)!.Value;
        var helpdeskToken = ApiTokens.Parse((await accounts.IssueToken(new ApiTokenRequest(name, AdminRole.Helpdesk, "helpdesk", expires))).Token)!.Value;

        var changed = await accounts.SetRole(name, AdminRole.Helpdesk);

        Assert.Equal(AccountChange.Done, changed);
        Assert.Null(await accounts.CheckLogin(name, login.Generation));
        Assert.Null(await accounts.Authenticate(adminToken.Id, adminToken.SecretHash));
        Assert.Equal(AdminRole.Helpdesk, (await accounts.Authenticate(helpdeskToken.Id, helpdeskToken.SecretHash))?.Role);
    }

    [Fact]
    public async Task A_totp_setup_is_void_once_the_password_was_reset_and_a_deleted_account_made_again_has_none_of_its_old_logins()
    {
        await accounts.CreateAccount(name, AdminRole.Admin, Password);
        var setup = await accounts.LogIn(name, Password, null);
        var code = new Totp(Base32Encoding.ToBytes(setup.TotpSecret)).ComputeTotp(cluster.Clock.GetUtcNow().UtcDateTime);
        await accounts.SetPassword(name, "a-reset-password");
        var afterReset = await accounts.ConfirmTotp(name, setup.Generation, setup.TotpSecret!, code);
        await accounts.ResetTotp(name);
        await accounts.SetSettings(AdminSettings.Default with { TotpRequiredFor = [] });
        var login = await accounts.LogIn(name, "a-reset-password", null);

        await accounts.DeleteAccount(name);
        await accounts.CreateAccount(name, AdminRole.Admin, Password);
        var oldLogin = await accounts.CheckLogin(name, login.Generation);
        await accounts.SetSettings(AdminSettings.Default);

        Assert.Equal(AdminLoginOutcome.CodeNeeded, afterReset.Outcome);
        Assert.Equal(AdminLoginOutcome.LoggedIn, login.Outcome);
        Assert.Null(oldLogin);
    }

    [Theory]
    [InlineData(AdminRole.Owner, "owner admin helpdesk auditor metrics")]
    [InlineData(AdminRole.Admin, "admin helpdesk auditor metrics")]
    [InlineData(AdminRole.Helpdesk, "helpdesk")]
    [InlineData(AdminRole.Auditor, "auditor metrics")]
    [InlineData(AdminRole.Metrics, "metrics")]
    public void A_role_covers_exactly_the_roles_whose_permissions_it_has(AdminRole role, string covered) =>
        Assert.Equal(covered, string.Join(' ', Enum.GetValues<AdminRole>().Where(other => role.Covers(other)).Select(other => other.Name())));
}
