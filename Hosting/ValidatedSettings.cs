using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrleansWg.Hosting;

/// <summary>
/// The one way a process takes its settings: an options class bound from its section, whose
/// data-annotation attributes, and <see cref="IValidatableObject"/> for a rule that spans its fields,
/// are checked at start, so that a process with a wrong setting does not start. A rule that needs
/// another class's settings is an <see cref="IValidateOptions{TOptions}"/> beside the class.
/// </summary>
public static class ValidatedSettings
{
    public static OptionsBuilder<T> AddValidatedSettings<T>(this IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

    /// <summary>Settings a process needs before its host is built (its endpoints, its state directory): bound and checked at once, by the same rules.</summary>
    public static T GetValidated<T>(this IConfiguration configuration, string section) where T : class, new()
    {
        var settings = configuration.GetSection(section).Get<T>() ?? new T();
        var failures = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), failures, validateAllProperties: true))
        {
            throw new OptionsValidationException(section, typeof(T),
                [.. failures.Select(failure => $"{section}:{string.Join(", ", failure.MemberNames)}: {failure.ErrorMessage}")]);
        }

        return settings;
    }
}
