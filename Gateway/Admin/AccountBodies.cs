using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Admin;

/// <param name="Password">A person's, who logs in to the console; none for a service account, which has only tokens.</param>
public sealed record CreateAccountBody(string? Name, string? Role, string? Password) : IValidatable
{
    public Validation Validate() => new Validation().Name(Name, "name").Role(Role, "role")
        .Check(Password is null || new Validation().Password(Password).IsValid, "password", $"none, or from {Validation.MinPasswordLength} to {Validation.MaxPasswordLength} characters");

    public override string ToString() => $"CreateAccountBody {{ Name = {Name}, Role = {Role} }}";
}

public sealed record OwnPasswordBody(string? CurrentPassword, string? Password) : IValidatable
{
    public Validation Validate() => new Validation().Check(CurrentPassword is { Length: > 0 }, "currentPassword", "the password you have").Password(Password);

    public override string ToString() => "OwnPasswordBody { }";
}

public sealed record RoleBody(string? Role) : IValidatable
{
    public Validation Validate() => new Validation().Role(Role, "role");
}

/// <param name="Role">The token's role: the caller's own when not given.</param>
/// <param name="Expires">When the token stops working: 90 days from now when not given.</param>
/// <param name="Account">Whose token: the caller's when not given; another's needs the owner's rights.</param>
public sealed record CreateTokenBody(string? Name, string? Role, DateTimeOffset? Expires, string? Account) : IValidatable
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(90);

    public Validation Validate() => new Validation()
        .Check(Name is { Length: > 0 and <= 64 }, "name", "what the token is for, 1 to 64 characters")
        .Check(Role is null || AdminRoles.Parse(Role) is not null, "role", AdminRoles.NameList)
        .Check(Account is null || Names.IsValid(Account), "account", "an account name");
}

/// <param name="MaxTokenLifetimeDays">How far ahead a token's expiry may be, in days.</param>
/// <param name="TotpRequiredFor">The roles whose people must log in with TOTP.</param>
public sealed record AdminSettingsBody(int? MaxTokenLifetimeDays, string[]? TotpRequiredFor) : IValidatable
{
    public Validation Validate() => new Validation()
        .Check(MaxTokenLifetimeDays is >= 1 and <= 3650, "maxTokenLifetimeDays", "from 1 to 3650 days")
        .Check(TotpRequiredFor is not null && TotpRequiredFor.All(role => AdminRoles.Parse(role) is not null), "totpRequiredFor", AdminRoles.NameList);

    public AdminSettings ToSettings() =>
        new(TimeSpan.FromDays(MaxTokenLifetimeDays!.Value), [.. TotpRequiredFor!.Select(role => AdminRoles.Parse(role)!.Value).Distinct()]);

    public static AdminSettingsBody From(AdminSettings settings) =>
        new((int)settings.MaxTokenLifetime.TotalDays, [.. settings.TotpRequiredFor.Select(role => role.Name())]);
}

public sealed record BootstrapBody(string? Name, string? Password) : IValidatable
{
    public Validation Validate() => new Validation().Name(Name, "name").Password(Password);

    public override string ToString() => $"BootstrapBody {{ Name = {Name} }}";
}

public sealed record AccountResponse(string Name, string Role, bool Person, bool Totp, DateTimeOffset Created)
{
    public static AccountResponse From(AdminAccountView account) => new(account.Name, account.Role.Name(), account.HasPassword, account.HasTotp, account.Created);
}

public sealed record TokenResponse(string Id, string Account, string Name, string Role, DateTimeOffset Created, DateTimeOffset Expires, DateTimeOffset? LastUsed, bool Revoked)
{
    public static TokenResponse From(ApiTokenView token) =>
        new(token.Id, token.Account, token.Name, token.Role.Name(), token.Created, token.Expires, token.LastUsed, token.Revoked);
}

/// <param name="Token">The token itself: shown this once, kept nowhere.</param>
public sealed record IssuedTokenResponse(string Token, TokenResponse About);

public sealed record MeResponse(string Account, string Role, string? Token, string[] Permissions);
