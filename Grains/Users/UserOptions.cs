using System.ComponentModel.DataAnnotations;

namespace OrleansWg.Grains.Users;

public sealed class UserOptions : IValidatableObject
{
    public const string Section = "Users";

    [Range(1, int.MaxValue)]
    public int MaxSessionsPerUser { get; set; } = 5;

    /// <summary>
    /// The cluster's tunnel addresses: each user gets a /24 of it for their sessions, the same on
    /// every server, so a session keeps its address when it moves. Every node's Node:TunnelPool
    /// must hold it.
    /// </summary>
    public string TunnelPool { get; set; } = "100.64.0.0/10";

    /// <summary>Wrong passwords in a row, from one source, that lock that source out of the user.</summary>
    [Range(1, int.MaxValue)]
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>
    /// Wrong passwords from the addresses a user has not logged in from, all of them together, that
    /// lock every such address out of the user; the user's own addresses are not locked.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxFailedLoginsPerUser { get; set; } = 20;

    /// <summary>How long a first lockout lasts; each one soon after the last lasts twice as long, 64 times at most.</summary>
    public TimeSpan LockoutPeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Argon2id runs a silo may do at once: each takes a core and 19 MiB. One per core keeps the
    /// memory bounded and lets a queue, not the thread pool, absorb a storm of logins.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxConcurrentHashes { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// The keys that seal users' MFA secrets (each any string of 32 characters or more, from a secret
    /// file): the first seals, any opens. Empty: users cannot enroll in MFA.
    /// </summary>
    public string[] SecretKeys { get; set; } = [];

    /// <summary>How long a login may wait for a turn to check its password before it is answered "busy" (503).</summary>
    public TimeSpan HashQueueTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HashQueueTimeout < TimeSpan.Zero)
        {
            yield return new ValidationResult("Users:HashQueueTimeout must not be negative", [nameof(HashQueueTimeout)]);
        }

        if (SecretKeys.Any(key => key.Length < 32))
        {
            yield return new ValidationResult("Users:SecretKeys: each key must be 32 characters or more", [nameof(SecretKeys)]);
        }
    }
}
