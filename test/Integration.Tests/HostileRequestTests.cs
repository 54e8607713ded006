using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Xunit.Abstractions;

namespace OrleansWg.Integration.Tests;

/// <summary>Malformed and hostile requests across every endpoint: each is a 4xx ProblemDetails, never a 5xx, and changes nothing.</summary>
public sealed class HostileRequestTests(ITestOutputHelper output)
{
    private const int Requests = 5200;

    private static readonly (HttpMethod Method, string Path, bool Admin)[] Endpoints =
    [
        (HttpMethod.Post, "/v1/connect", false),
        (HttpMethod.Get, "/v1/sessions/{guid}", false),
        (HttpMethod.Delete, "/v1/sessions/{guid}", false),
        (HttpMethod.Get, "/v1/admin/users", true),
        (HttpMethod.Post, "/v1/admin/users", true),
        (HttpMethod.Get, "/v1/admin/users/{name}", true),
        (HttpMethod.Delete, "/v1/admin/users/{name}", true),
        (HttpMethod.Put, "/v1/admin/users/{name}/password", true),
        (HttpMethod.Post, "/v1/admin/users/{name}/lock", true),
        (HttpMethod.Delete, "/v1/admin/users/{name}/lock", true),
        (HttpMethod.Get, "/v1/admin/users/{name}/permissions", true),
        (HttpMethod.Put, "/v1/admin/users/{name}/permissions", true),
        (HttpMethod.Get, "/v1/admin/servers", true),
        (HttpMethod.Put, "/v1/admin/servers/{name}", true),
        (HttpMethod.Post, "/v1/admin/servers/{name}/drain", true),
        (HttpMethod.Delete, "/v1/admin/servers/{name}/drain", true),
        (HttpMethod.Get, "/v1/admin/sessions", true),
        (HttpMethod.Get, "/v1/admin/sessions/{guid}", true),
        (HttpMethod.Delete, "/v1/admin/sessions/{guid}", true),
        (HttpMethod.Get, "/metrics", true),
        (HttpMethod.Get, "/dashboard/", true),
        (HttpMethod.Patch, "/v1/connect", false),
        (HttpMethod.Get, "/v1/nothing-here", false),
    ];

    private static readonly string[] HostileNames =
    [
        "", "..", "../../etc/passwd", "%00", "UPPER", "a b", new string('n', 300), "ünïcödé", "😀", "x;DROP TABLE users", "\u0000",
        "-leading", "node-1/../admin", "%2e%2e%2f", "null",
    ];

    private static readonly string[] HostileGuids = ["not-a-guid", "00000000-0000-0000-0000-000000000000", Guid.NewGuid().ToString(), "{}", new string('f', 200)];

    [Fact]
    public async Task Five_thousand_malformed_and_hostile_requests_get_no_5xx_every_error_is_a_problem_and_nothing_changes_without_the_token()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.CreateUser("bystander");
        var session = await plane.ConnectOk("bystander");
        var usersBefore = await plane.Admin.GetStringAsync("/v1/admin/users");
        var random = new Random(20261130);
        var requests = Enumerable.Range(0, Requests).Select(_ => Hostile(random, plane.OwnerToken)).ToList();
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (request, cancellationToken) =>
        {
            using var message = request.Message;
            var description = $"{message.Method} {message.RequestUri} ({request.What})";
            HttpResponseMessage response;
            try
            {
                response = await plane.Http.SendAsync(message, cancellationToken);
            }
            catch (HttpRequestException exception)
            {
                lock (failures)
                {
                    if (!request.Oversized)
                    {
                        failures.Add($"{exception.Message} for {description}");
                    }
                }

                return;
            }

            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            lock (failures)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                if (status >= 500
                    || (status >= 400 && mediaType != "application/problem+json" && !request.RefusedByKestrel && !message.RequestUri!.ToString().StartsWith("/dashboard"))
                    || (request.Admin && !request.WithToken && status is >= 200 and < 300)
                    || (request.WithToken && status is >= 200 and < 300 && message.Method != HttpMethod.Get && message.Method != HttpMethod.Delete))
                {
                    failures.Add($"{status} {mediaType} for {description}");
                }
            }
        });

        output.WriteLine($"{requests.Count} requests: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
        Assert.Equal(HttpStatusCode.OK, (await plane.Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(usersBefore, await plane.Admin.GetStringAsync("/v1/admin/users"));
        Assert.Equal("active", (await plane.SessionStatus(session)).Status);
    }

    [Fact]
    public async Task An_admin_request_without_the_token_is_refused_before_its_body_is_read_and_a_body_over_the_limit_is_a_413()
    {
        await using var plane = await ControlPlane.StartAsync();
        var unread = new StringContent("{ this is not json", Encoding.UTF8, "application/json");
        var oversized = JsonContent.Create(new { username = "someone", password = new string('p', 100_000) });

        var withoutToken = await plane.Http.PostAsync("/v1/admin/users", unread);
        var tooLarge = await plane.Admin.PostAsync("/v1/admin/users", oversized);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Session_lookups_with_a_forged_token_are_refused_and_beyond_the_burst_of_one_address_get_429()
    {
        await using var plane = await ControlPlane.StartAsync(new() { ["Gateway__SessionLookupBurst"] = "5", ["Gateway__SessionLookupsPerMinute"] = "1" });
        await plane.CreateUser("owner");
        var session = await plane.ConnectOk("owner");
        var id = session.GetProperty("sessionId").GetString();
        var token = session.GetProperty("sessionToken").GetString()!;
        var forged = token[..^2] + (token[^2..] == "AA" ? "BB" : "AA");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{id}") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", i == 0 ? token : forged) } };
            answers.Add((await plane.Http.SendAsync(request)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, .. Enumerable.Repeat(HttpStatusCode.Unauthorized, 4), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], answers);
    }

    /// <param name="Oversized">A server may close the connection on a body over its limit while the client still sends it (RFC 9110, 413).</param>
    /// <param name="RefusedByKestrel">A NUL in the path: Kestrel answers a bare 400 before any middleware runs.</param>
    private sealed record HostileRequest(HttpRequestMessage Message, bool Admin, bool WithToken, string What)
    {
        public bool Oversized => Message.Content?.Headers.ContentLength > 4096;

        public bool RefusedByKestrel => Message.RequestUri!.OriginalString.Contains("%00");
    }

    private static HostileRequest Hostile(Random random, string ownerToken)
    {
        var (method, template, admin) = Endpoints[random.Next(Endpoints.Length)];
        var path = template
            .Replace("{name}", Uri.EscapeDataString(HostileNames[random.Next(HostileNames.Length)]))
            .Replace("{guid}", Uri.EscapeDataString(HostileGuids[random.Next(HostileGuids.Length)]));
        var message = new HttpRequestMessage(method, path);
        var (body, what) = Body(random);
        if (method != HttpMethod.Get || random.Next(4) == 0)
        {
            message.Content = body;
        }

        var withToken = admin && random.Next(3) == 0 && body is not null;
        message.Headers.TryAddWithoutValidation("Authorization", withToken ? $"Bearer {ownerToken}" : Authorization(random));
        if (random.Next(5) == 0)
        {
            message.Headers.TryAddWithoutValidation("Idempotency-Key", random.Next(2) == 0 ? new string('k', 100) : "key with spaces");
        }

        return new HostileRequest(message, admin, withToken, what);
    }

    /// <summary>A body that no endpoint accepts: not JSON, the wrong shape, the wrong types, or far too large.</summary>
    private static (HttpContent? Body, string What) Body(Random random) => random.Next(12) switch
    {
        0 => (null, "no body"),
        1 => (Json("{\"username\": \"x\", \"password\": "), "truncated JSON"),
        2 => (Json(new string('[', 5000) + new string(']', 5000)), "deeply nested"),
        3 => (Json("{\"username\": 5, \"password\": true, \"publicKey\": [], \"server\": {}}"), "wrong types"),
        4 => (Json($"{{\"username\": \"{new string('u', 3000)}\", \"password\": \"short\"}}"), "overlong name"),
        5 => (Json("[1, 2, 3]"), "an array"),
        6 => (Json("\"just a string\""), "a string"),
        7 => (new ByteArrayContent(RandomBytes(random, 512)) { Headers = { ContentType = new("application/json") } }, "random bytes"),
        8 => (new StringContent("username=x&password=y", Encoding.UTF8, "application/x-www-form-urlencoded"), "a form"),
        9 => (Json($"{{\"password\": \"{new string('p', 20_000)}\"}}"), "over the body limit"),
        10 => (Json("{\"username\": \"bystander\", \"password\": \"\\u0000\\ud800\", \"publicKey\": \"not a key\", \"capacity\": -1, \"servers\": [\"../x\"]}"), "invalid fields"),
        _ => (Json("{\"group\": \"UPPER CASE\", \"capacity\": 99999999999, \"groups\": [null], \"servers\": 7}"), "out of range"),
    };

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Authorization(Random random) => random.Next(6) switch
    {
        0 => "Bearer wrong-token",
        1 => "Basic !!!not-base64!!!",
        2 => $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:wrong"))}",
        3 => "Bearer " + new string('t', 4000),
        4 => "Bearer",
        _ => "",
    };
}
