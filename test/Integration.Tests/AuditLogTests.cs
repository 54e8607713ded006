using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrleansWg.Integration.Tests;

public sealed class AuditLogTests
{
    [Fact]
    public async Task Logins_a_lockout_a_connect_a_drain_and_a_close_are_each_audited_once_and_outlive_the_silo_that_wrote_them()
    {
        await using var plane = await ControlPlane.StartAsync(new()
        {
            ["Users__MaxFailedLogins"] = "2",
            ["Logging__Console__FormatterName"] = "json",
        }, silos: 2);
        const string user = "auditee";
        await plane.CreateUser(user);
        var session = await plane.ConnectOk(user);
        var sessionId = session.GetProperty("sessionId").GetString();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await plane.Connect(user, "not the password");
        }

        Assert.Equal(HttpStatusCode.NoContent, (await plane.Admin.PostAsync($"/v1/admin/servers/{plane.ServerId}/drain", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await plane.Admin.DeleteAsync($"/v1/admin/sessions/{sessionId}")).StatusCode);
        var siloLogs = Enumerable.Range(0, 2).Select(silo => File.ReadAllText(Repository.LogPath($"{plane.ClusterId}-silo-{silo}.log"))).ToList();
        var logs = string.Join('\n', siloLogs);
        // The silo that wrote the wrong passwords dies; the other one reads them back.
        var writer = siloLogs.FindIndex(log => log.Contains("audit login wrong-password", StringComparison.Ordinal));

        await plane.KillSiloAsync(writer);
        JsonElement[] events = [];
        await plane.WaitFor(async () =>
        {
            var response = await plane.Admin.GetAsync($"/v1/admin/audit?user={user}");
            events = response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement[]>())! : [];
            return response.IsSuccessStatusCode;
        }, "the other silo to read the audit log");
        var drains = await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/audit?kind=admin.drain-server");
        var closes = await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/audit?kind=admin.close-session");

        Assert.Equal(
            [
                "admin.create-user ok 127.0.0.1 x1", "login ok 127.0.0.1 x1", "connect ok 127.0.0.1 x1", "login wrong-password 127.0.0.1 x2",
                "login locked 127.0.0.1 x1", "close admin - x1", "admin.close-session ok 127.0.0.1 x1",
            ],
            Counted(events.Reverse()));
        Assert.All(events.Where(e => Text(e, "sessionId") is not null), e => Assert.Equal(sessionId, Text(e, "sessionId")));
        var drain = Assert.Single(drains!);
        Assert.Equal((plane.ServerId, "ok", $"by token {plane.OwnerToken.Split('_')[1]}", ControlPlane.Owner, "owner"),
            (Text(drain, "serverId"), Text(drain, "outcome"), Text(drain, "detail"), Text(drain, "actor"), Text(drain, "actorRole")));
        Assert.Equal(sessionId, Text(Assert.Single(closes!), "sessionId"));
        AssertJsonLogLines(logs, user);
        Assert.Equal(3, Fail2BanMatches(logs).Count(host => host == "127.0.0.1"));
    }

    [Fact]
    public async Task Failed_logins_are_one_row_per_user_address_and_minute_with_their_count_and_made_up_names_one_per_address()
    {
        await using var plane = await ControlPlane.StartAsync(new()
        {
            ["Users__MaxFailedLogins"] = "1000",
            ["Users__MaxFailedLoginsPerUser"] = "1000",
        }, nodes: 0);
        await plane.CreateUser("counted");
        var guesser = LoopbackSource.Address(7);
        using var client = LoopbackSource.Client(guesser, plane.Http.BaseAddress!);
        var before = await plane.Database.Scalar<long>("SELECT count(*) FROM owg_audit");

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/v1/connect", new { username = "counted", password = "a wrong guess" })).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/v1/connect", new { username = $"made-up-{i}", password = "a wrong guess" })).StatusCode);
        }

        var rows = await plane.Database.Scalar<long>("SELECT count(*) FROM owg_audit") - before;
        var wrongPasswords = await plane.Database.Scalar<long>(
            $"SELECT sum(count) FROM owg_audit WHERE outcome = 'wrong-password' AND username = 'counted' AND source = '{guesser}'");
        var madeUp = await plane.Database.Scalar<long>($"SELECT sum(count) FROM owg_audit WHERE outcome = 'unknown-user' AND username IS NULL AND source = '{guesser}'");

        // Two outcomes, each in one minute or, across a minute's turn, two.
        Assert.InRange(rows, 2, 4);
        Assert.Equal(30, wrongPasswords);
        Assert.Equal(30, madeUp);
    }

    [Fact]
    public async Task Audit_queries_with_bad_parameters_get_400_problem_details()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 0);
        foreach (var query in new[] { "user=NOT%20A%20NAME", "since=yesterday", "limit=0", "limit=1001", "limit=x", "kind=%25" })
        {
            var response = await plane.Admin.GetAsync($"/v1/admin/audit?{query}");

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>The events as "kind outcome source xCOUNT", rows that follow each other with the same kind, outcome and source added up (a minute's turn may split a count).</summary>
    private static IEnumerable<string> Counted(IEnumerable<JsonElement> events) =>
        events.Select(e => (Name: $"{e.GetProperty("kind").GetString()} {e.GetProperty("outcome").GetString()} {Text(e, "source") ?? "-"}", Count: e.GetProperty("count").GetInt32()))
            .Aggregate(new List<(string Name, int Count)>(), (rows, e) =>
            {
                if (rows.Count > 0 && rows[^1].Name == e.Name)
                {
                    rows[^1] = (e.Name, rows[^1].Count + e.Count);
                }
                else
                {
                    rows.Add(e);
                }

                return rows;
            })
            .Select(row => $"{row.Name} x{row.Count}");

    private static string? Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Every line of a JSON-format log is one JSON object, and each audit event is one of them with its fields apart.</summary>
    private static void AssertJsonLogLines(string logs, string user)
    {
        var lines = logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var audits = lines.Where(line => line.GetProperty("Category").GetString() == "OrleansWg.Audit").Select(line => line.GetProperty("State")).ToList();
        Assert.Contains(audits, state => state.GetProperty("Kind").GetString() == "login" && state.GetProperty("Outcome").GetString() == "wrong-password"
            && state.GetProperty("User").GetString() == user);
    }

    /// <summary>The addresses docker/fail2ban/orleanswg.conf finds in <paramref name="logs"/>, one per match.</summary>
    private static IEnumerable<string> Fail2BanMatches(string logs)
    {
        var filter = File.ReadAllLines(Path.Combine(Repository.Root, "docker", "fail2ban", "orleanswg.conf"))
            .Single(line => line.StartsWith("failregex = ", StringComparison.Ordinal))["failregex = ".Length..];
        var regex = new Regex(filter.Replace("<HOST>", @"(?<host>[0-9A-Fa-f.:]+)"));
        return logs.Split('\n').Select(line => regex.Match(line)).Where(match => match.Success).Select(match => match.Groups["host"].Value);
    }
}
