using System.ComponentModel.DataAnnotations;

namespace OrleansWg.Gateway;

public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>The bearer token of the admin API.</summary>
    [Required, MinLength(16)]
    public string AdminToken { get; set; } = "";

    /// <summary>How many logins one client address may make at once.</summary>
    [Range(1, int.MaxValue)]
    public int LoginBurst { get; set; } = 30;

    /// <summary>How many more logins one client address may make each minute, once its burst is spent.</summary>
    [Range(1, 60_000)]
    public int LoginsPerMinute { get; set; } = 30;
}
