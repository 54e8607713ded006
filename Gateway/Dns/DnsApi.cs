using Microsoft.AspNetCore.Http.HttpResults;
using OrleansWg.Gateway.Admin;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Dns;

/// <summary>The DNS policies: the cluster default, and each server group's own, over it.</summary>
public static class DnsApi
{
    public static RouteGroupBuilder MapDnsApi(this RouteGroupBuilder admin)
    {
        var read = admin.MapGroup("").RequirePermission(AdminPermission.ReadServers);
        var manage = admin.MapGroup("").RequirePermission(AdminPermission.ManageServers);
        read.MapGet("/dns", (IGrainFactory grains) => Get(IServerGroupGrain.ClusterDefault, grains))
            .WithSummary("The cluster default DNS policy: of every group without one of its own.");
        manage.MapPut("/dns", (DnsPolicyBody body, IGrainFactory grains) => Set(IServerGroupGrain.ClusterDefault, body, grains))
            .Validates<DnsPolicyBody>().LimitBody(DnsPolicyBody.MaxBodyBytes).WithName("set-default-dns")
            .WithSummary("Sets the cluster default DNS policy; the nodes of every group that has none of its own apply it within seconds.");
        manage.MapPut("/dns/blocklist", (HttpRequest request, IGrainFactory grains) => Import(IServerGroupGrain.ClusterDefault, request, grains))
            .LimitBody(BlocklistFile.MaxBytes).Accepts<string>("text/plain").WithName("import-default-blocklist")
            .WithSummary($"Replaces the cluster default's imported blocklist with a file: a domain a line, or the hosts format; at most {BlocklistFile.MaxNames} names.");
        read.MapGet("/groups/{group}/dns", (string group, IGrainFactory grains) => Get(group, grains))
            .WithSummary("The group's DNS policy: its own, or the cluster default (inherited).");
        manage.MapPut("/groups/{group}/dns", (string group, DnsPolicyBody body, IGrainFactory grains) => Set(group, body, grains))
            .Validates<DnsPolicyBody>().LimitBody(DnsPolicyBody.MaxBodyBytes).WithName("set-group-dns")
            .WithSummary("Gives the group a DNS policy of its own (upstreams left empty are the cluster default's); its nodes apply it within seconds, without a reconnect.");
        manage.MapDelete("/groups/{group}/dns", (string group, IGrainFactory grains) => Set(group, null, grains)).WithName("reset-group-dns")
            .WithSummary("The group takes the cluster default DNS policy again; its own and its blocklist go.");
        manage.MapPut("/groups/{group}/dns/blocklist", (string group, HttpRequest request, IGrainFactory grains) => Import(group, request, grains))
            .LimitBody(BlocklistFile.MaxBytes).Accepts<string>("text/plain").WithName("import-group-blocklist")
            .WithSummary($"Replaces the group's imported blocklist with a file: a domain a line, or the hosts format; at most {BlocklistFile.MaxNames} names.");
        return admin;
    }

    private static async Task<Results<Ok<DnsPolicyResponse>, ProblemHttpResult>> Get(string group, IGrainFactory grains) =>
        IsGroup(group)
            ? TypedResults.Ok(DnsPolicyResponse.From(await grains.GetGrain<IServerGroupGrain>(group).GetDns()))
            : Problems.NotFound($"group '{group}'");

    private static async Task<Results<NoContent, ProblemHttpResult>> Set(string group, DnsPolicyBody? body, IGrainFactory grains)
    {
        if (!IsGroup(group))
        {
            return Problems.NotFound($"group '{group}'");
        }

        await grains.GetGrain<IServerGroupGrain>(group).SetDns(body?.ToPolicy());
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Import(string group, HttpRequest request, IGrainFactory grains)
    {
        if (!IsGroup(group))
        {
            return Problems.NotFound($"group '{group}'");
        }

        using var reader = new StreamReader(request.Body);
        var (names, error) = BlocklistFile.Parse(new StringReader(await reader.ReadToEndAsync(request.HttpContext.RequestAborted)));
        if (error is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["blocklist"] = [error] });
        }

        await grains.GetGrain<IServerGroupGrain>(group).SetBlocklist(names);
        return TypedResults.NoContent();
    }

    private static bool IsGroup(string group) => group == IServerGroupGrain.ClusterDefault || Names.IsValid(group);
}
