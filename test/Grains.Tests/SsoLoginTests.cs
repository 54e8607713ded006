namespace OrleansWg.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SsoLoginTests(ClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    private static SsoIdentity Identity(string subject, params string[] groups) => new($"https://id.example.test|{subject}", [.. groups], null, TestWorld.Source);

    private static ConnectRequest WithGrant(string? grant) => TestWorld.Request() with { Password = "", SsoGrant = grant };

    [Fact]
    public async Task A_first_login_makes_the_user_with_the_providers_groups_and_a_later_one_follows_the_provider()
    {
        var user = fixture.Client.GetGrain<IUserGrain>(world.Name("jit"));

        var first = await user.SsoLogin(Identity("s-1", world.Group));
        var madeWith = (await user.Describe())!.Permissions.Groups;
        var later = await user.SsoLogin(Identity("s-1", "other-group"));

        Assert.Equal(SsoStatus.LoggedIn, first.Status);
        Assert.Equal<string>([world.Group], madeWith);
        Assert.Equal(SsoStatus.LoggedIn, later.Status);
        Assert.Equal<string>(["other-group"], (await user.Describe())!.Permissions.Groups);
    }

    [Fact]
    public async Task The_grant_connects_its_user_and_a_wrong_grant_or_a_password_does_not()
    {
        await world.Server("node");
        var user = fixture.Client.GetGrain<IUserGrain>(world.Name("granted"));
        var login = await user.SsoLogin(Identity("s-2", world.Group));

        var wrongGrant = await user.Connect(WithGrant("not-the-grant-of-this-user"));
        var password = await user.Connect(TestWorld.Request(password: "any password at all"));
        var connected = await user.Connect(WithGrant(login.Grant));

        Assert.Equal(ConnectStatus.InvalidCredentials, wrongGrant.Status);
        Assert.Equal(ConnectStatus.InvalidCredentials, password.Status);
        Assert.Equal(ConnectStatus.Connected, connected.Status);
    }

    [Fact]
    public async Task A_grant_connects_once_and_only_the_connect_that_took_it_may_take_it_again()
    {
        await world.Server("node");
        var user = fixture.Client.GetGrain<IUserGrain>(world.Name("once"));
        var login = await user.SsoLogin(Identity("s-6", world.Group));
        var request = WithGrant(login.Grant);

        var first = await user.Connect(request);
        var retried = await user.Connect(request);
        var another = await user.Connect(WithGrant(login.Grant));

        Assert.Equal(first.Session!.SessionId, retried.Session!.SessionId);
        Assert.Equal(ConnectStatus.InvalidCredentials, another.Status);
    }

    [Fact]
    public async Task A_login_as_a_password_user_or_as_another_subjects_user_is_refused()
    {
        var passwordUser = await world.User("local");
        var ssoUser = fixture.Client.GetGrain<IUserGrain>(world.Name("taken"));
        await ssoUser.SsoLogin(Identity("s-3"));

        Assert.Equal(SsoStatus.Refused, (await passwordUser.SsoLogin(Identity("s-4"))).Status);
        Assert.Equal(SsoStatus.Refused, (await ssoUser.SsoLogin(Identity("s-5"))).Status);
    }

    [Fact]
    public async Task A_group_that_requires_single_sign_on_refuses_its_password_users()
    {
        await world.Server("node");
        var user = await world.User("password-user");
        await fixture.Client.GetGrain<IServerGroupGrain>(world.Group).SetRequiresSso(true);

        var connect = await user.Connect(TestWorld.Request());

        Assert.Equal(ConnectStatus.SsoRequired, connect.Status);
    }
}
