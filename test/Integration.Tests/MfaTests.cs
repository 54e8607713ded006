using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrleansWg.Integration.Tests;

/// <summary>TOTP at connect, as a user enrolls with owg and an admin resets it, against the real stack.</summary>
[Collection(ControlPlaneCollection.Name)]
public sealed partial class MfaTests(ControlPlaneFixture fixture)
{
    private readonly ControlPlane plane = fixture.Plane;
    private readonly string user = $"m{Guid.NewGuid():N}"[..12];

    private static string Code(string secret, int steps = 0) => ApiClient.OtpCode(secret, steps);

    [Fact]
    public async Task A_user_enrolled_with_owg_connects_only_with_a_code_and_the_tunnel_carries_a_page()
    {
        await plane.CreateUser(user);
        await using var internet = await InternetHost.CreateAsync();
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var owg = plane.Owg(client);

        var enroll = await owg.MfaEnroll(user);
        var secret = SecretOf().Match(enroll.Output).Groups[1].Value;
        var confirm = await owg.MfaConfirm(user, Code(secret));
        var withoutCode = await owg.Connect(user);
        var code = Code(secret, 1);
        var withCode = await owg.ConnectWithCode(user, code);
        var fetched = await client.CanFetchAsync(internet.Url);
        await owg.Disconnect();
        var replayed = await owg.ConnectWithCode(user, code);

        Assert.True(enroll.ExitCode == 0, enroll.Error);
        Assert.Contains("\u2588", enroll.Output);
        Assert.Contains($"otpauth://totp/OrleansWg:{user}?secret={secret}&issuer=OrleansWg", enroll.Output);
        Assert.Matches($"Confirm it with: owg mfa confirm --gateway {Regex.Escape(plane.GatewayUrlForClients)} --ca /\\S+ --user {user}\n", enroll.Output);
        Assert.True(confirm.ExitCode == 0, confirm.Error);
        Assert.Equal(10, RecoveryCode().Matches(confirm.Output).Count);
        Assert.Equal((1, "owg: this user needs a one-time code from their authenticator app: give it when asked, or with --otp-stdin\n"),
            (withoutCode.ExitCode, withoutCode.Error));
        Assert.True(withCode.ExitCode == 0, withCode.Error);
        Assert.True(fetched);
        Assert.Equal((1, "owg: wrong one-time code, or one used already: wait for the next one\n"), (replayed.ExitCode, replayed.Error));
        Assert.False(await client.HasInterfaceAsync());
    }

    [Fact]
    public async Task Wrong_codes_lock_out_a_recovery_code_works_once_and_an_admins_reset_ends_the_need_for_a_code()
    {
        await plane.CreateUser(user);
        var secret = await plane.BeginMfa(user);
        var recoveryCodes = await plane.ConfirmMfa(user, secret);
        var wrong = NotACode(secret);

        var recovered = await Connect(recoveryCodes[0]);
        var recoveredAgain = await Connect(recoveryCodes[0]);
        var wrongCodes = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            wrongCodes.Add(await Connect(wrong));
        }

        var lockedOut = await Connect(Code(secret, 1));
        var reset = await plane.Admin.DeleteAsync($"/v1/admin/users/{user}/mfa");
        await plane.Admin.DeleteAsync($"/v1/admin/users/{user}/lock");
        var afterReset = await Connect(null);
        var profile = await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/users/{user}");
        var audit = await plane.Admin.GetFromJsonAsync<JsonElement[]>($"/v1/admin/audit?user={user}&limit=100");

        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal("wrong-otp", (await recoveredAgain.Json()).GetProperty("code").GetString());
        Assert.All(wrongCodes, response => Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, lockedOut.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterReset.StatusCode);
        Assert.False(profile.GetProperty("mfa").GetProperty("enrolled").GetBoolean());
        var outcomes = audit!.Select(e => e.GetProperty("outcome").GetString()).ToList();
        Assert.Contains("ok-recovery-code", outcomes);
        Assert.Contains("wrong-otp", outcomes);
        Assert.Contains("enrolled", outcomes);
    }

    [Fact]
    public async Task A_group_that_requires_mfa_refuses_a_user_not_enrolled_with_403_until_they_enroll()
    {
        var group = $"g{Guid.NewGuid():N}"[..12];
        await plane.CreateUser(user);
        Assert.Equal(HttpStatusCode.NoContent, (await plane.Admin.PutAsJsonAsync($"/v1/admin/users/{user}/permissions", new { servers = Array.Empty<string>(), groups = new[] { group } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await plane.Admin.PutAsJsonAsync($"/v1/admin/groups/{group}/mfa", new { required = true })).StatusCode);

        var notEnrolled = await Connect(null);
        var policy = await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/groups/{group}/mfa");

        Assert.Equal(HttpStatusCode.Forbidden, notEnrolled.StatusCode);
        Assert.Equal("mfa-enrollment-required", (await notEnrolled.Json()).GetProperty("code").GetString());
        Assert.True(policy.GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task The_secret_is_in_no_row_of_the_database_and_a_wrong_password_begins_no_enrollment()
    {
        await plane.CreateUser(user);

        var wrongPassword = await plane.Http.PostAsJsonAsync("/v1/mfa/enroll", new { username = user, password = "not the password" });
        var secret = await plane.BeginMfa(user);
        await plane.ConfirmMfa(user, secret);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(0L, await RowsHolding(secret));
        Assert.True(await RowsHolding("$argon2id$") > 0); // the search finds what a user's state holds in the clear
    }

    private Task<long> RowsHolding(string text) =>
        plane.Database.Scalar<long>($"SELECT count(*) FROM orleansstorage WHERE position(convert_to('{text}', 'UTF8') in payloadbinary) > 0");

    private Task<HttpResponseMessage> Connect(string? otp) =>
        plane.Http.PostAsJsonAsync("/v1/connect", new { username = user, password = ApiClient.Password, publicKey = WireGuardKey.CreatePair().PublicKey, otp });

    private static string NotACode(string secret) =>
        Enumerable.Range(0, 10).Select(d => new string((char)('0' + d), 6)).First(code => Enumerable.Range(-1, 4).All(step => Code(secret, step) != code));

    [GeneratedRegex("enter this key in it: ([A-Z2-7]+)")]
    private static partial Regex SecretOf();

    [GeneratedRegex("(?m)^  [a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$")]
    private static partial Regex RecoveryCode();
}
