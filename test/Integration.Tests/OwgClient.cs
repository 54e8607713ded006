namespace OrleansWg.Integration.Tests;

/// <summary>Runs client/owg inside a client namespace, as a user would run it there.</summary>
/// <param name="gateway">The Gateway's URL as the namespace reaches it.</param>
public sealed class OwgClient(ClientNamespace client, string gateway)
{
    private static string Script => Path.Combine(Repository.Root, "client", "owg");

    public Task<CommandResult> Connect(string user, string password = ApiClient.Password) =>
        Run(password + "\n", "connect", "--gateway", gateway, "--user", user,
            "--interface", client.Interface, "--password-stdin");

    public Task<CommandResult> Disconnect() => Run(null, "disconnect", "--interface", client.Interface);

    public Task<CommandResult> Status() => Run(null, "status", "--interface", client.Interface);

    private Task<CommandResult> Run(string? input, params string[] arguments) =>
        client.TryAsync(input, ["env", $"OWG_STATE_DIR={client.StateDirectory}", "OWG_CURL_TIMEOUT=10", Script, .. arguments]);
}
