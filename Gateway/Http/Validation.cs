namespace OrleansWg.Gateway.Http;

/// <summary>Collects what is wrong with a request, field by field, for a 400 ValidationProblem.</summary>
public sealed class Validation
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 256;

    /// <summary>A one-time code is six digits, a recovery code fourteen characters: anything much longer is not one.</summary>
    public const int MaxOtpLength = 32;

    private readonly Dictionary<string, string[]> errors = [];

    public IDictionary<string, string[]> Errors => errors;

    public bool IsValid => errors.Count == 0;

    public Validation Check(bool ok, string field, string message)
    {
        if (!ok)
        {
            errors[field] = [message];
        }

        return this;
    }

    public Validation Name(string? value, string field) =>
        Check(Names.IsValid(value), field, "lower-case letters, digits, '-' or '_', at most 32, starting with a letter or digit");

    /// <summary>A role of people and services: owner, admin, helpdesk, auditor, or metrics.</summary>
    public Validation Role(string? value, string field) =>
        Check(AdminRoles.Parse(value) is not null, field, AdminRoles.NameList);

    public Validation Password(string? value, string field = "password") =>
        Check(value is { Length: >= MinPasswordLength and <= MaxPasswordLength }, field,
            $"from {MinPasswordLength} to {MaxPasswordLength} characters");
}
