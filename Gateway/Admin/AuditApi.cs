using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Admin;

public static class AuditApi
{
    public const int MaxLimit = 1000;
    private const int DefaultLimit = 100;

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/audit", Read).RequirePermission(AdminPermission.ReadAudit).WithSummary(
            $"The audit log, newest first: logins, connects, session ends, admin actions. since: ISO 8601; limit: 1-{MaxLimit} ({DefaultLimit}); kind: a kind or its start.");
        return admin;
    }

    private static async Task<Results<Ok<AuditEvent[]>, ValidationProblem>> Read(IGrainFactory grains, string? user, string? since, string? limit, string? kind)
    {
        DateTimeOffset? from = DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        var count = limit is null ? DefaultLimit : int.TryParse(limit, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var validation = new Validation()
            .Check(user is null || Names.IsValid(user), "user", "a user name")
            .Check(since is null || from is not null, "since", "a time in ISO 8601, such as 2026-11-30T08:00:00Z")
            .Check(count is >= 1 and <= MaxLimit, "limit", $"a number from 1 to {MaxLimit}")
            .Check(kind is null || (kind.Length is > 0 and <= 64 && kind.All(c => char.IsAsciiLetterLower(c) || c is '-' or '.')),
                "kind", "a kind or its start, such as login or admin.");
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var events = await grains.GetGrain<IAuditGrain>(0).Read(new AuditQuery(user, from, count, kind));
        return TypedResults.Ok(events.ToArray());
    }
}
