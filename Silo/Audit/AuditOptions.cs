using System.ComponentModel.DataAnnotations;

namespace OrleansWg.Silo.Audit;

public sealed class AuditOptions : IValidatableObject
{
    public const string Section = "Audit";

    /// <summary>The shortest retention: owg_audit_prune (Schema/5-audit.sql) keeps every event for a day at least.</summary>
    public static readonly TimeSpan MinimumRetention = TimeSpan.FromDays(1);

    /// <summary>How long an event is kept; older ones are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often each silo deletes the events past <see cref="Retention"/>.</summary>
    [Positive]
    public TimeSpan PruneEvery { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Retention < MinimumRetention)
        {
            yield return new ValidationResult($"Audit:Retention ({Retention:c}) must be a day or more", [nameof(Retention)]);
        }
    }
}
