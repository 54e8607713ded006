using Microsoft.AspNetCore.Http.HttpResults;
using OrleansWg.Gateway.Dns;
using OrleansWg.Gateway.Http;
using OrleansWg.Gateway.Limits;

namespace OrleansWg.Gateway.Admin;

public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/v1/admin").RequireAccount().AddEndpointFilter<AdminAudit>();
        admin.MapGet("/users", ListUsers).RequirePermission(AdminPermission.ReadUsers).WithSummary($"Users by name; q: part of the name; a page of at most limit (1-{Paging.MaxLimit}) from offset; X-Total-Count: how many match.");
        admin.MapPost("/users", CreateUser).RequirePermission(AdminPermission.ManageUsers).Validates<CreateUserBody>().WithName("create-user");
        admin.MapGet("/users/{name}", GetUser).RequirePermission(AdminPermission.ReadUsers);
        admin.MapDelete("/users/{name}", DeleteUser).RequirePermission(AdminPermission.ManageUsers).WithName("delete-user").WithSummary("Deletes the user and closes their sessions.");
        admin.MapPut("/users/{name}/password", SetPassword).RequirePermission(AdminPermission.HelpUsers).Validates<PasswordBody>().WithName("set-password")
            .WithSummary("Sets a new password; the user's sessions end (credentials-changed) and every lockout is lifted.");
        admin.MapPost("/users/{name}/lock", (string name, IGrainFactory grains) => SetLocked(name, true, grains)).RequirePermission(AdminPermission.HelpUsers).WithName("lock-user")
            .WithSummary("Locks the user: their sessions end (credentials-changed) and connects are refused with 403.");
        admin.MapDelete("/users/{name}/lock", (string name, IGrainFactory grains) => SetLocked(name, false, grains)).RequirePermission(AdminPermission.HelpUsers).WithName("unlock-user")
            .WithSummary("Unlocks the user, and lifts the lockouts of addresses that guessed wrong.");
        admin.MapDelete("/users/{name}/mfa", (string name, IGrainFactory grains) => Change("user", name, () => grains.GetGrain<IUserGrain>(name).ResetMfa()))
            .RequirePermission(AdminPermission.HelpUsers).WithName("reset-user-mfa")
            .WithSummary("Forgets the user's MFA (a lost phone): they connect with their password alone until they enroll again, unless a group of theirs requires MFA.");
        admin.MapGet("/users/{name}/permissions", GetPermissions).RequirePermission(AdminPermission.ReadUsers);
        admin.MapPut("/users/{name}/permissions", SetPermissions).RequirePermission(AdminPermission.ManageUsers).Validates<PermissionsBody>().LimitBody(64 * 1024).WithName("set-permissions")
            .WithSummary("Server ids and groups the user may be placed on; none means the generic pool.");
        admin.MapGet("/users/{name}/limits", GetUserLimits).RequirePermission(AdminPermission.ReadUsers);
        admin.MapPut("/users/{name}/limits", SetUserLimits).RequirePermission(AdminPermission.ManageUsers).Validates<LimitsBody>().WithName("set-user-limits")
            .WithSummary("The user's bandwidth limits, over their servers' groups'; live sessions take them at once.");
        admin.MapGet("/groups/{group}/limits", GetGroupLimits).RequirePermission(AdminPermission.ReadServers);
        admin.MapPut("/groups/{group}/limits", SetGroupLimits).RequirePermission(AdminPermission.ManageServers).Validates<LimitsBody>().WithName("set-group-limits")
            .WithSummary("The bandwidth limits of sessions on the group's servers whose user has none of their own; live sessions take them at once.");
        admin.MapGet("/groups/{group}/mfa", (string group, IGrainFactory grains) => GetGroupPolicy(group, grains, policy => policy.RequiresMfa))
            .RequirePermission(AdminPermission.ReadServers);
        admin.MapPut("/groups/{group}/mfa", (string group, GroupPolicyBody body, IGrainFactory grains) => SetGroupPolicy(group, grains, g => g.SetRequiresMfa(body.Required)))
            .RequirePermission(AdminPermission.ManageServers).WithName("set-group-mfa")
            .WithSummary("Whether users permitted on the group (the generic group: users with no permissions) must connect with a one-time code; those not enrolled are refused until they enroll.");
        admin.MapGet("/groups/{group}/sso", (string group, IGrainFactory grains) => GetGroupPolicy(group, grains, policy => policy.RequiresSso))
            .RequirePermission(AdminPermission.ReadServers);
        admin.MapPut("/groups/{group}/sso", (string group, GroupPolicyBody body, IGrainFactory grains) => SetGroupPolicy(group, grains, g => g.SetRequiresSso(body.Required)))
            .RequirePermission(AdminPermission.ManageServers).WithName("set-group-sso")
            .WithSummary("Whether users permitted on the group must log in by single sign-on (owg connect --sso): their passwords do not connect them.");
        admin.MapGet("/servers", ListServers).RequirePermission(AdminPermission.ReadServers);
        admin.MapPut("/servers/{id}", Configure).RequirePermission(AdminPermission.ManageServers).Validates<ServerSettingsBody>().WithName("configure-server")
            .WithSummary("Makes the server (its capacity and public address needed; group: generic unless given), so that its node may register, or changes "
                + "its group, capacity or public address; placement goes by these, never by what the node says.");
        admin.MapPost("/servers/{id}/drain", (string id, IGrainFactory grains) => SetDraining(id, true, grains)).RequirePermission(AdminPermission.ManageServers).WithName("drain-server")
            .WithSummary("The server takes no new sessions; its sessions live out their time.");
        admin.MapDelete("/servers/{id}/drain", (string id, IGrainFactory grains) => SetDraining(id, false, grains)).RequirePermission(AdminPermission.ManageServers).WithName("resume-server")
            .WithSummary("The server takes new sessions again.");
        admin.MapPost("/servers/{id}/evacuate", Evacuate).RequirePermission(AdminPermission.ManageServers).WithName("evacuate-server")
            .WithSummary("Drains the server and moves each of its sessions to another server its user may use; answers which moved and which stay.");
        admin.MapGet("/sessions", ListSessions).RequirePermission(AdminPermission.ReadUsers)
            .WithSummary($"Sessions on the servers, by user; q: part of the user name; a page of at most limit (1-{Paging.MaxLimit}) from offset; X-Total-Count: how many match.");
        admin.MapGet("/sessions/{id:guid}", GetSession).RequirePermission(AdminPermission.ReadUsers).WithSummary("A session, with why its start failed if it did.");
        admin.MapDelete("/sessions/{id:guid}", CloseSession).RequirePermission(AdminPermission.HelpUsers).WithName("close-session");
        admin.MapAuditApi();
        admin.MapDnsApi();
        admin.MapNodeEnrollmentAdminApi();
        admin.MapTokensApi();
        admin.MapAccountsApi();
        return routes;
    }

    private static async Task<Results<Ok<UserResponse[]>, ValidationProblem>> ListUsers(IGrainFactory grains, HttpContext context, string? q, string? offset, string? limit)
    {
        if (Paging.Parse(offset, limit) is not { } page)
        {
            return TypedResults.ValidationProblem(Paging.Errors);
        }

        var names = (await grains.GetGrain<IUserDirectoryGrain>(0).List()).Where(name => q is null || name.Contains(q, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var profiles = await Task.WhenAll(page.Of(names, context).Select(name => grains.GetGrain<IUserGrain>(name).Describe()));
        return TypedResults.Ok(profiles.OfType<UserProfile>().Select(UserResponse.From).ToArray());
    }

    private static async Task<Results<Created<UserResponse>, ProblemHttpResult>> CreateUser(
        CreateUserBody body, IGrainFactory grains)
    {
        var user = grains.GetGrain<IUserGrain>(body.Username!.ToLowerInvariant());
        if (!await user.Create(body.Password!))
        {
            return Problems.Of(StatusCodes.Status409Conflict, $"user '{body.Username}' exists already");
        }

        var profile = (await user.Describe())!;
        return TypedResults.Created($"/v1/admin/users/{profile.Name}", UserResponse.From(profile));
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetUser(string name, IGrainFactory grains) =>
        await Describe(name, grains) is { } profile ? TypedResults.Ok(UserResponse.From(profile)) : Problems.NotFound($"user '{name}'");

    private static Task<Results<NoContent, ProblemHttpResult>> DeleteUser(string name, IGrainFactory grains) =>
        Change("user", name, () => grains.GetGrain<IUserGrain>(name).Delete());

    private static Task<Results<NoContent, ProblemHttpResult>> SetPassword(string name, PasswordBody body, IGrainFactory grains) =>
        Change("user", name, () => grains.GetGrain<IUserGrain>(name).SetPassword(body.Password!));

    private static Task<Results<NoContent, ProblemHttpResult>> SetLocked(string name, bool locked, IGrainFactory grains) =>
        Change("user", name, () => grains.GetGrain<IUserGrain>(name).SetLocked(locked));

    private static async Task<Results<Ok<PermissionsBody>, ProblemHttpResult>> GetPermissions(string name, IGrainFactory grains) =>
        await Describe(name, grains) is { } profile
            ? TypedResults.Ok(PermissionsBody.From(profile.Permissions))
            : Problems.NotFound($"user '{name}'");

    private static Task<Results<NoContent, ProblemHttpResult>> SetPermissions(string name, PermissionsBody body, IGrainFactory grains) =>
        Change("user", name, () => grains.GetGrain<IUserGrain>(name).SetPermissions(body.ToPermissions()));

    private static async Task<Results<Ok<LimitsBody>, ProblemHttpResult>> GetUserLimits(string name, IGrainFactory grains) =>
        await Describe(name, grains) is { } profile ? TypedResults.Ok(LimitsBody.From(profile.Limit)) : Problems.NotFound($"user '{name}'");

    private static Task<Results<NoContent, ProblemHttpResult>> SetUserLimits(string name, LimitsBody body, IGrainFactory grains) =>
        Change("user", name, () => grains.GetGrain<IUserGrain>(name).SetLimit(body.ToLimit()));

    private static async Task<Results<Ok<LimitsBody>, ProblemHttpResult>> GetGroupLimits(string group, IGrainFactory grains) =>
        Names.IsValid(group)
            ? TypedResults.Ok(LimitsBody.From(await grains.GetGrain<IServerGroupGrain>(group).GetLimit()))
            : Problems.NotFound($"group '{group}'");

    private static Task<Results<NoContent, ProblemHttpResult>> SetGroupLimits(string group, LimitsBody body, IGrainFactory grains) =>
        Change("group", group, async () =>
        {
            await grains.GetGrain<IServerGroupGrain>(group).SetLimit(body.ToLimit());
            return true;
        });

    private static async Task<Results<Ok<GroupPolicyBody>, ProblemHttpResult>> GetGroupPolicy(string group, IGrainFactory grains, Func<GroupLoginPolicy, bool> get) =>
        Names.IsValid(group)
            ? TypedResults.Ok(new GroupPolicyBody(get(await grains.GetGrain<IServerGroupGrain>(group).GetLoginPolicy())))
            : Problems.NotFound($"group '{group}'");

    private static Task<Results<NoContent, ProblemHttpResult>> SetGroupPolicy(string group, IGrainFactory grains, Func<IServerGroupGrain, Task> set) =>
        Change("group", group, async () =>
        {
            await set(grains.GetGrain<IServerGroupGrain>(group));
            return true;
        });

    private static async Task<Ok<ServerResponse[]>> ListServers(IGrainFactory grains) =>
        TypedResults.Ok((await grains.DescribeServersAsync()).Select(ServerResponse.From).ToArray());

    private static async Task<Results<Created, NoContent, ValidationProblem, ProblemHttpResult>> Configure(string id, ServerSettingsBody body, IGrainFactory grains)
    {
        if (!Names.IsValid(id))
        {
            return Problems.NotFound($"server '{id}'");
        }

        return await grains.GetGrain<IServerGrain>(id).Configure(body.ToSettings()) switch
        {
            ServerConfigured.Created => TypedResults.Created(),
            ServerConfigured.Changed => TypedResults.NoContent(),
            _ => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["capacity"] = ["a new server needs its capacity and public address"],
                ["publicAddress"] = ["a new server needs its capacity and public address"],
            }),
        };
    }

    private static Task<Results<NoContent, ProblemHttpResult>> SetDraining(string id, bool draining, IGrainFactory grains) =>
        Change("server", id, () => grains.GetGrain<IServerGrain>(id).SetDraining(draining));

    private static async Task<Results<Ok<EvacuationResponse>, ProblemHttpResult>> Evacuate(string id, IGrainFactory grains)
    {
        var server = grains.GetGrain<IServerGrain>(id);
        if (!Names.IsValid(id) || !await server.SetDraining(true) || await server.Describe() is not { } view)
        {
            return Problems.NotFound($"server '{id}'");
        }

        return TypedResults.Ok(await grains.MoveSessionsAsync(view, MoveReason.Evacuated));
    }

    private static async Task<Results<Ok<AdminSessionResponse[]>, ValidationProblem>> ListSessions(
        IGrainFactory grains, HttpContext context, string? q, string? offset, string? limit)
    {
        if (Paging.Parse(offset, limit) is not { } page)
        {
            return TypedResults.ValidationProblem(Paging.Errors);
        }

        var peers = (await grains.DescribeServersAsync()).SelectMany(server => server.Peers)
            .Where(peer => q is null || peer.User.Contains(q, StringComparison.Ordinal))
            .OrderBy(peer => peer.User, StringComparer.Ordinal).ThenBy(peer => peer.SessionId).ToList();
        var sessions = await Task.WhenAll(page.Of(peers, context).Select(async peer => (peer, view: await grains.GetGrain<ISessionGrain>(peer.SessionId).Describe())));
        return TypedResults.Ok(sessions.Where(s => s.view is not null).Select(s => AdminSessionResponse.From(s.view!, s.peer)).ToArray());
    }

    private static async Task<Results<Ok<SessionView>, ProblemHttpResult>> GetSession(Guid id, IGrainFactory grains) =>
        await grains.GetGrain<ISessionGrain>(id).Describe() is { } view ? TypedResults.Ok(view) : Problems.NotFound($"session '{id}'");

    private static async Task<NoContent> CloseSession(Guid id, IGrainFactory grains)
    {
        await grains.GetGrain<ISessionGrain>(id).Close(CloseReason.Admin);
        return TypedResults.NoContent();
    }

    /// <summary>204 when <paramref name="key"/> names a grain and <paramref name="change"/> finds it exists, else 404.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> Change(string what, string key, Func<Task<bool>> change) =>
        Names.IsValid(key) && await change() ? TypedResults.NoContent() : Problems.NotFound($"{what} '{key}'");

    private static async Task<UserProfile?> Describe(string name, IGrainFactory grains) =>
        Names.IsValid(name) ? await grains.GetGrain<IUserGrain>(name).Describe() : null;
}
