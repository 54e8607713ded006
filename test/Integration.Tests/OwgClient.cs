namespace OrleansWg.Integration.Tests;

/// <summary>Runs client/owg inside a client namespace, as a user would run it there.</summary>
public sealed class OwgClient(ClientNamespace client, ControlPlane plane)
{
    private static string Script => Path.Combine(Repository.Root, "client", "owg");

    public Task<CommandResult> Connect(string user, string password = ApiClient.Password, string? gateway = null) =>
        Run(password + "\n", "connect", "--gateway", gateway ?? plane.GatewayUrlForClients, "--user", user,
            "--interface", client.Interface, "--password-stdin");

    public Task<CommandResult> Disconnect() => Run(null, "disconnect", "--interface", client.Interface);

    public Task<CommandResult> Status() => Run(null, "status", "--interface", client.Interface);

    private Task<CommandResult> Run(string? input, params string[] arguments) =>
        client.TryAsync(input, ["env", $"OWG_STATE_DIR={client.StateDirectory}", "OWG_CURL_TIMEOUT=10", Script, .. arguments]);
}
