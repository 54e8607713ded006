using System.ComponentModel.DataAnnotations;

namespace OrleansWg;

/// <summary>A setting that must be above zero: a period, a timeout or a rate.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PositiveAttribute() : ValidationAttribute("{0} must be above zero")
{
    public override bool IsValid(object? value) => value switch
    {
        TimeSpan span => span > TimeSpan.Zero,
        int number => number > 0,
        double number => number > 0,
        _ => false,
    };
}
