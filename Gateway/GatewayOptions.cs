using System.ComponentModel.DataAnnotations;

namespace OrleansWg.Gateway;

public sealed class GatewayOptions : IValidatableObject
{
    public const string Section = "Gateway";

    /// <summary>The secret that makes the installation's first owner (<see cref="Admin.Bootstrap"/>), once.</summary>
    [Required, MinLength(16)]
    public string BootstrapToken { get; set; } = "";

    /// <summary>How long a console login lasts without use.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan ConsoleSession { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long a console login lasts at most, however much it is used.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan ConsoleSessionMaxLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// The keys of the session tokens' MAC, newest first, each 32 characters or more: the first seals
    /// every token handed out, and each opens one; so a new key put first, with the old one kept
    /// after it, leaves live sessions' tokens valid.
    /// </summary>
    [MinLength(1, ErrorMessage = "Gateway:SessionSealKeys: one key at least")]
    public string[] SessionSealKeys { get; set; } = [];

    /// <summary>How many logins one client address may make at once.</summary>
    [Range(1, int.MaxValue)]
    public int LoginBurst { get; set; } = 30;

    /// <summary>How many more logins one client address may make each minute, once its burst is spent.</summary>
    [Range(1, 60_000)]
    public int LoginsPerMinute { get; set; } = 30;

    /// <summary>
    /// Failed logins (wrong passwords, locked-out addresses) this Gateway lets through a second, from
    /// every address together; past it, addresses that have not logged in here lately wait (see FailedLoginBudget).
    /// </summary>
    [Range(1, 1_000_000)]
    public int FailedLoginsPerSecond { get; set; } = 50;

    /// <summary>Failed logins this Gateway lets through at once before <see cref="FailedLoginsPerSecond"/> applies.</summary>
    [Range(1, 1_000_000)]
    public int FailedLoginBurst { get; set; } = 100;

    /// <summary>How many session reads and disconnects one client address may make at once.</summary>
    [Range(1, int.MaxValue)]
    public int SessionLookupBurst { get; set; } = 60;

    /// <summary>How many more session reads and disconnects one client address may make each minute.</summary>
    [Range(1, 60_000)]
    public int SessionLookupsPerMinute { get; set; } = 120;

    /// <summary>
    /// How long one attempt of a connect may take before it is tried again with the same idempotency
    /// key; a connect normally takes well under a second, a new user's container start included.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.5", "00:01:00")]
    public TimeSpan ConnectAttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a connect may take, its attempts together, before the Gateway answers 503.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(12);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SessionSealKeys.Any(key => key.Length < 32))
        {
            yield return new ValidationResult("Gateway:SessionSealKeys: each key 32 characters or more", [nameof(SessionSealKeys)]);
        }

        if (ConnectAttemptTimeout > ConnectTimeout)
        {
            yield return new ValidationResult(
                $"Gateway:ConnectAttemptTimeout ({ConnectAttemptTimeout:c}) must be no longer than Gateway:ConnectTimeout ({ConnectTimeout:c}): the attempts of a connect are inside its whole",
                [nameof(ConnectAttemptTimeout), nameof(ConnectTimeout)]);
        }
    }
}
