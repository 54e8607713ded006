using System.ComponentModel.DataAnnotations;

namespace OrleansWg.Gateway;

public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>The bearer token of the admin API.</summary>
    [Required, MinLength(16)]
    public string AdminToken { get; set; } = "";
}
