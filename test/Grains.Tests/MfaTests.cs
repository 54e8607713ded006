using OrleansWg.Grains.Users;
using OtpNet;

namespace OrleansWg.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class MfaTests(ClusterFixture fixture)
{
    private const int StepSeconds = 30;

    private readonly TestWorld world = new(fixture.Client);

    /// <summary>The code of the secret <paramref name="steps"/> time steps from now, as the user's app would show it then.</summary>
    private static string Code(string secret, int steps = 0) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(steps * StepSeconds));

    /// <summary>Six digits that are none of the secret's codes near now.</summary>
    private static string NotACode(string secret) =>
        Enumerable.Range(0, 10).Select(d => new string((char)('0' + d), 6)).First(code => Enumerable.Range(-1, 4).All(step => Code(secret, step) != code));

    private static MfaLogin Login(string? otp = null, string password = TestWorld.Password) => new(password, otp, TestWorld.Source);

    private static ConnectRequest WithCode(string? otp) => TestWorld.Request() with { Otp = otp };

    /// <returns>The user's secret and recovery codes; the first code of the secret (this step's) is spent.</returns>
    private static async Task<(string Secret, ImmutableArray<string> RecoveryCodes)> Enroll(IUserGrain user)
    {
        var begun = await user.BeginMfa(Login());
        Assert.Equal(ConnectStatus.Connected, begun.Status);
        var confirmed = await user.ConfirmMfa(Login(), Code(begun.Secret!));
        Assert.Equal(ConnectStatus.Connected, confirmed.Status);
        return (begun.Secret!, confirmed.RecoveryCodes);
    }

    [Fact]
    public async Task An_enrolled_user_connects_only_with_a_current_code_and_no_code_is_taken_twice()
    {
        await world.Server("node");
        var user = await world.User("alice");
        var (secret, recoveryCodes) = await Enroll(user);

        var withoutCode = await user.Connect(WithCode(null));
        var code = Code(secret, 1);
        var withCode = await user.Connect(WithCode(code));
        var replayed = await user.Connect(WithCode(code));

        Assert.Equal(ConnectStatus.OtpRequired, withoutCode.Status);
        Assert.Equal(ConnectStatus.Connected, withCode.Status);
        Assert.Equal(ConnectStatus.WrongOtp, replayed.Status);
        Assert.Null(replayed.Session);
        var profile = (await user.Describe())!;
        Assert.True(profile.MfaEnrolled);
        Assert.Equal(RecoveryCodes.Count, profile.RecoveryCodesLeft);
        Assert.Equal(RecoveryCodes.Count, recoveryCodes.Distinct().Count());
    }

    [Fact]
    public async Task A_connect_tried_again_with_its_idempotency_key_may_give_its_code_again()
    {
        await world.Server("node");
        var user = await world.User("bob");
        var (secret, _) = await Enroll(user);
        var request = WithCode(Code(secret, 1));

        var first = await user.Connect(request);
        var retried = await user.Connect(request);

        Assert.Equal(ConnectStatus.Connected, retried.Status);
        Assert.Equal(first.Session!.SessionId, retried.Session!.SessionId);
    }

    [Fact]
    public async Task Wrong_codes_count_towards_the_lockout_like_wrong_passwords()
    {
        await world.Server("node");
        var user = await world.User("carol");
        var (secret, _) = await Enroll(user);

        var wrong = new List<ConnectStatus>();
        for (var i = 0; i < 5; i++)
        {
            wrong.Add((await user.Connect(WithCode(NotACode(secret)))).Status);
        }

        var rightCodeAfter = await user.Connect(WithCode(Code(secret, 1)));

        Assert.All(wrong, status => Assert.Equal(ConnectStatus.WrongOtp, status));
        Assert.Equal(ConnectStatus.LockedOut, rightCodeAfter.Status);
    }

    [Fact]
    public async Task A_recovery_code_connects_once_in_place_of_a_code()
    {
        await world.Server("node");
        var user = await world.User("dave");
        var (_, recoveryCodes) = await Enroll(user);

        var first = await user.Connect(WithCode(recoveryCodes[3].ToUpperInvariant()));
        var again = await user.Connect(WithCode(recoveryCodes[3]));

        Assert.Equal(ConnectStatus.Connected, first.Status);
        Assert.Equal(ConnectStatus.WrongOtp, again.Status);
        Assert.Equal(RecoveryCodes.Count - 1, (await user.Describe())!.RecoveryCodesLeft);
        Assert.Contains(fixture.Audit.Events, e => e.User == world.Name("dave") && e.Outcome == LoginOutcomes.RecoveryCode);
    }

    [Fact]
    public async Task A_connect_that_spent_a_recovery_code_tried_again_with_its_idempotency_key_gets_its_session()
    {
        await world.Server("node");
        var user = await world.User("retrier");
        var (_, recoveryCodes) = await Enroll(user);
        var request = WithCode(recoveryCodes[0]);

        var first = await user.Connect(request);
        var retried = await user.Connect(request);
        var anotherConnect = await user.Connect(WithCode(recoveryCodes[0]));

        Assert.Equal(first.Session!.SessionId, retried.Session!.SessionId);
        Assert.Equal(ConnectStatus.WrongOtp, anotherConnect.Status);
    }

    [Fact]
    public async Task A_user_permitted_a_server_by_its_id_meets_the_mfa_policy_of_that_servers_group()
    {
        var (serverId, _) = await world.Server("node");
        var user = await world.User("by-id", new ServerPermissions([serverId], []));
        await fixture.Client.GetGrain<IServerGroupGrain>(world.Group).SetRequiresMfa(true);

        Assert.Equal(ConnectStatus.MfaEnrollmentRequired, (await user.Connect(WithCode(null))).Status);
    }

    [Fact]
    public async Task An_admins_reset_lets_the_user_connect_with_the_password_alone()
    {
        await world.Server("node");
        var user = await world.User("erin");
        await Enroll(user);

        Assert.True(await user.ResetMfa());
        var connected = await user.Connect(WithCode(null));

        Assert.Equal(ConnectStatus.Connected, connected.Status);
        Assert.False((await user.Describe())!.MfaEnrolled);
    }

    [Fact]
    public async Task A_group_that_requires_mfa_refuses_its_users_until_they_enroll()
    {
        await world.Server("node");
        var user = await world.User("frank");
        var other = await world.User("grace", new ServerPermissions([], [world.Name("other-group")]));
        await fixture.Client.GetGrain<IServerGroupGrain>(world.Group).SetRequiresMfa(true);

        var notEnrolled = await user.Connect(WithCode(null));
        var (secret, _) = await Enroll(user);
        var enrolled = await user.Connect(WithCode(Code(secret, 1)));

        Assert.Equal(ConnectStatus.MfaEnrollmentRequired, notEnrolled.Status);
        Assert.Equal(ConnectStatus.Connected, enrolled.Status);
        Assert.NotEqual(ConnectStatus.MfaEnrollmentRequired, (await other.Connect(WithCode(null))).Status);
    }

    [Fact]
    public async Task Enrolling_again_needs_a_current_code_and_then_the_new_secrets_codes_connect()
    {
        await world.Server("node");
        var user = await world.User("heidi");
        var (secret, _) = await Enroll(user);

        var withoutCode = await user.BeginMfa(Login());
        var begun = await user.BeginMfa(Login(Code(secret, 1)));
        var meanwhile = await user.Describe();
        var confirmed = await user.ConfirmMfa(Login(), Code(begun.Secret!));

        Assert.Equal(ConnectStatus.OtpRequired, withoutCode.Status);
        Assert.NotEqual(secret, begun.Secret);
        Assert.True(meanwhile!.MfaEnrolled);
        Assert.Equal(ConnectStatus.Connected, confirmed.Status);
        Assert.Equal(ConnectStatus.Connected, (await user.Connect(WithCode(Code(begun.Secret!, 1)))).Status);
    }

    [Fact]
    public async Task Confirming_with_a_wrong_code_or_a_wrong_password_enrolls_nothing()
    {
        var user = await world.User("ivan");
        var begun = await user.BeginMfa(Login());

        var wrongPassword = await user.ConfirmMfa(Login(password: "wrong password"), Code(begun.Secret!));
        var wrongCode = await user.ConfirmMfa(Login(), NotACode(begun.Secret!));

        Assert.Equal(ConnectStatus.InvalidCredentials, wrongPassword.Status);
        Assert.Equal(ConnectStatus.WrongOtp, wrongCode.Status);
        Assert.False((await user.Describe())!.MfaEnrolled);
    }
}
