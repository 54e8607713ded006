namespace OrleansWg.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class AuditTests(ClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    [Fact]
    public async Task Each_login_is_audited_once_with_its_outcome_user_and_source()
    {
        await world.Server("node");
        var user = await world.User("erin");
        var name = world.Name("erin");
        var nobody = world.Name("nobody");

        var connected = await user.Connect(TestWorld.Request(source: "198.18.0.21"));
        await user.Connect(TestWorld.Request("wrong password", source: "198.18.0.22"));
        await fixture.Client.GetGrain<IUserGrain>(nobody).Connect(TestWorld.Request(source: "198.18.0.23"));

        var session = connected.Session!;
        Assert.Equal(
            [
                (AuditKinds.Login, LoginOutcomes.Ok, name, "198.18.0.21"),
                (AuditKinds.Connect, LoginOutcomes.Ok, name, "198.18.0.21"),
                (AuditKinds.Login, LoginOutcomes.WrongPassword, name, "198.18.0.22"),
                (AuditKinds.Login, LoginOutcomes.UnknownUser, nobody, "198.18.0.23"),
            ],
            Of(name, nobody).Select(e => (e.Kind, e.Outcome, e.User!, e.Source!)));
        var connect = Of(name).Single(e => e.Kind == AuditKinds.Connect);
        Assert.Equal((session.SessionId, session.ServerId), (connect.SessionId!.Value, connect.ServerId!));
    }

    [Fact]
    public async Task A_source_locked_out_is_audited_as_locked()
    {
        var user = await world.User("frank");
        for (var attempt = 0; attempt < 6; attempt++)
        {
            await user.Connect(TestWorld.Request("wrong password", source: "198.18.0.31"));
        }

        Assert.Contains(Of(world.Name("frank")), e => e.Outcome == LoginOutcomes.Locked && e.Source == "198.18.0.31");
    }

    [Fact]
    public async Task A_sessions_end_is_audited_once_with_its_reason_a_clients_own_as_a_disconnect()
    {
        await world.Server("node");
        var user = await world.User("gina");
        var byClient = (await user.Connect(TestWorld.Request())).Session!.SessionId;
        var byAdmin = (await user.Connect(TestWorld.Request())).Session!.SessionId;

        await fixture.Client.GetGrain<ISessionGrain>(byClient).Close(CloseReason.Client);
        await fixture.Client.GetGrain<ISessionGrain>(byAdmin).Close(CloseReason.Admin);
        await fixture.Client.GetGrain<ISessionGrain>(byAdmin).Close(CloseReason.Admin);

        var ends = Of(world.Name("gina")).Where(e => e.Kind is AuditKinds.Disconnect or AuditKinds.Close).Select(e => (e.Kind, e.Outcome, e.SessionId));
        Assert.Equal<(string, string, Guid?)>([(AuditKinds.Disconnect, "client", byClient), (AuditKinds.Close, "admin", byAdmin)], ends);
    }

    private List<AuditEvent> Of(params string[] users) => [.. fixture.Audit.Events.Where(e => users.Contains(e.User))];
}
