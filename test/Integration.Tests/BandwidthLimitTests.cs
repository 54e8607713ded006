using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace OrleansWg.Integration.Tests;

/// <summary>Transfers through a real tunnel, measured by iperf3, with the user's and the group's limits set while connected.</summary>
public sealed class BandwidthLimitTests(ITestOutputHelper output)
{
    private const int DownMbps = 8;
    private const int UpMbps = 5;
    private const int GroupDownMbps = 12;

    [Fact]
    public async Task Limits_set_while_connected_hold_transfers_near_the_rate_in_each_direction_and_the_user_s_go_over_the_group_s()
    {
        await using var plane = await ControlPlane.StartAsync();
        await using var internet = await InternetHost.CreateAsync();
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        await internet.StartIperfAsync();
        await plane.CreateUser("shaped");
        var connect = await plane.Owg(client).Connect("shaped");
        Assert.True(connect.ExitCode == 0, connect.Error);
        var sessionId = OwgClient.SessionIdOf(connect);

        var free = await Measure(client, internet, "without a limit");
        (await plane.Admin.PutAsJsonAsync("/v1/admin/users/shaped/limits", new { downMbps = DownMbps, upMbps = UpMbps })).EnsureSuccessStatusCode();
        var limited = await Measure(client, internet, "with the user's limit");
        var session = await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/sessions/{sessionId}");
        var profile = await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/users/shaped");
        (await plane.Admin.PutAsJsonAsync("/v1/admin/groups/generic/limits", new { downMbps = GroupDownMbps })).EnsureSuccessStatusCode();
        (await plane.Admin.PutAsJsonAsync("/v1/admin/users/shaped/limits", new { })).EnsureSuccessStatusCode();
        var byGroup = await Measure(client, internet, "with the group's limit only");
        var sessionByGroup = await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/sessions/{sessionId}");

        Assert.True(free.Down >= 3 * DownMbps && free.Up >= 3 * UpMbps, $"unlimited: {free}");
        Assert.InRange(limited.Down, 0.7 * DownMbps, 1.1 * DownMbps);
        Assert.InRange(limited.Up, 0.7 * UpMbps, 1.1 * UpMbps);
        Assert.InRange(byGroup.Down, 0.7 * GroupDownMbps, 1.1 * GroupDownMbps);
        Assert.True(byGroup.Up >= 3 * UpMbps, $"the group limits no upload: {byGroup}");
        Assert.Equal((DownMbps, UpMbps), Limits(session.GetProperty("limit")));
        Assert.Equal((DownMbps, UpMbps), Limits(profile.GetProperty("limits")));
        Assert.Equal((GroupDownMbps, (int?)null), Limits(sessionByGroup.GetProperty("limit")));
        Assert.True(await client.CanFetchAsync(internet.Url), "the tunnel is still up: no limit change reconnected it");
    }

    private async Task<(double Down, double Up)> Measure(ClientNamespace client, InternetHost internet, string what)
    {
        var rates = (await client.MeasureMbpsAsync(internet.Address, download: true), await client.MeasureMbpsAsync(internet.Address, download: false));
        output.WriteLine($"{what}: down {rates.Item1:F1} Mbit/s, up {rates.Item2:F1} Mbit/s");
        return rates;
    }

    private static (int?, int?) Limits(JsonElement limits) =>
        (limits.ValueKind == JsonValueKind.Null ? null : Mbps(limits.GetProperty("downMbps")), limits.ValueKind == JsonValueKind.Null ? null : Mbps(limits.GetProperty("upMbps")));

    private static int? Mbps(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetInt32();
}
