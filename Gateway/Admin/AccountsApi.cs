using Microsoft.AspNetCore.Http.HttpResults;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Admin;

/// <summary>The owner's endpoints: admin accounts, people's and services', and the settings they live by.</summary>
public static class AccountsApi
{
    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder admin)
    {
        var owner = admin.MapGroup("").RequirePermission(AdminPermission.ManageAccounts);
        owner.MapGet("/accounts", async (IGrainFactory grains) =>
            TypedResults.Ok((await Accounts(grains).ListAccounts()).Select(AccountResponse.From).ToArray()));
        owner.MapPost("/accounts", Create).Validates<CreateAccountBody>().WithName("create-account")
            .WithSummary("Makes an account: with a password, a person's, who logs in to the console; without, a service's, which has only tokens.");
        owner.MapGet("/accounts/{account}", async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> (string account, IGrainFactory grains) =>
            await Accounts(grains).GetAccount(account) is { } found ? TypedResults.Ok(AccountResponse.From(found)) : Problems.NotFound($"account '{account}'"));
        owner.MapDelete("/accounts/{account}", (string account, IGrainFactory grains) => Outcome(account, Accounts(grains).DeleteAccount(account)))
            .WithName("delete-account").WithSummary("Deletes the account; its tokens and console logins end at once. The last owner stays.");
        owner.MapPut("/accounts/{account}/role", (string account, RoleBody body, IGrainFactory grains) =>
                Outcome(account, Accounts(grains).SetRole(account, AdminRoles.Parse(body.Role)!.Value)))
            .Validates<RoleBody>().WithName("set-account-role")
            .WithSummary("Changes the role; the account's console logins end, and its tokens the new role does not cover are revoked.");
        owner.MapPut("/accounts/{account}/password", async (string account, PasswordBody body, IGrainFactory grains) =>
                await Accounts(grains).SetPassword(account, body.Password!) ? Done : Problems.NotFound($"person's account '{account}'"))
            .Validates<PasswordBody>().WithName("set-account-password").WithSummary("Sets a person's password; their console logins end.");
        owner.MapDelete("/accounts/{account}/totp", async (string account, IGrainFactory grains) =>
                await Accounts(grains).ResetTotp(account) ? Done : Problems.NotFound($"account '{account}'"))
            .WithName("reset-account-totp").WithSummary("Forgets the person's TOTP: their next login sets it up anew.");
        owner.MapGet("/settings", async (IGrainFactory grains) => TypedResults.Ok(AdminSettingsBody.From(await Accounts(grains).GetSettings())))
            .WithSummary("How far ahead a token's expiry may be, and which roles must log in with TOTP.");
        owner.MapPut("/settings", async (AdminSettingsBody body, IGrainFactory grains) =>
            {
                await Accounts(grains).SetSettings(body.ToSettings());
                return TypedResults.NoContent();
            })
            .Validates<AdminSettingsBody>().WithName("set-admin-settings");
        return admin;
    }

    private static readonly Results<NoContent, ProblemHttpResult> Done = TypedResults.NoContent();

    private static IAdminAccountsGrain Accounts(IGrainFactory grains) => grains.GetGrain<IAdminAccountsGrain>(0);

    private static async Task<Results<Created<AccountResponse>, ProblemHttpResult>> Create(CreateAccountBody body, IGrainFactory grains)
    {
        var accounts = Accounts(grains);
        if (!await accounts.CreateAccount(body.Name!, AdminRoles.Parse(body.Role)!.Value, body.Password))
        {
            return Problems.Of(StatusCodes.Status409Conflict, $"account '{body.Name}' exists already, or the installation has as many accounts as it keeps");
        }

        return TypedResults.Created($"/v1/admin/accounts/{body.Name}", AccountResponse.From((await accounts.GetAccount(body.Name!))!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Outcome(string account, Task<AccountChange> change) => await change switch
    {
        AccountChange.Done => TypedResults.NoContent(),
        AccountChange.LastOwner => Problems.Of(StatusCodes.Status409Conflict, "the installation's last owner stays an owner"),
        _ => Problems.NotFound($"account '{account}'"),
    };
}
