namespace OrleansWg.Integration.Tests;

/// <summary>Runs client/owg inside a client namespace, as a user would run it there.</summary>
/// <param name="gateway">The Gateway's URL as the namespace reaches it.</param>
/// <param name="certificate">The certificate to trust for an https:// gateway.</param>
/// <param name="insecureHttp">Whether an http:// gateway is allowed (--insecure-http), as the tests' stubs need.</param>
/// <param name="settings">owg's own settings (OWG_...), such as how often its watcher looks.</param>
public sealed class OwgClient(ClientNamespace client, string gateway, string? certificate = null, bool insecureHttp = true,
    IReadOnlyDictionary<string, string>? settings = null)
{
    private static string Script => Path.Combine(Repository.Root, "client", "owg");

    public Task<CommandResult> Connect(string user, string password = ApiClient.Password) =>
        Run(password + "\n", ["connect", .. GatewayArguments(), "--user", user, "--interface", client.Interface, "--password-stdin"]);

    /// <summary>A connect with a one-time code on standard input, after the password.</summary>
    public Task<CommandResult> ConnectWithCode(string user, string code) =>
        Run($"{ApiClient.Password}\n{code}\n", ["connect", .. GatewayArguments(), "--user", user, "--interface", client.Interface, "--password-stdin", "--otp-stdin"]);

    /// <summary>Begins an enrollment in MFA, with no code to confirm it on standard input.</summary>
    public Task<CommandResult> MfaEnroll(string user) =>
        Run(ApiClient.Password + "\n", ["mfa", "enroll", .. GatewayArguments(), "--user", user, "--password-stdin"]);

    public Task<CommandResult> MfaConfirm(string user, string code) =>
        Run($"{ApiClient.Password}\n{code}\n", ["mfa", "confirm", .. GatewayArguments(), "--user", user, "--password-stdin", "--otp-stdin"]);

    public Task<CommandResult> ConnectTo(string server, string user) =>
        Run(ApiClient.Password + "\n", ["connect", .. GatewayArguments(), "--user", user, "--server", server, "--interface", client.Interface, "--password-stdin"]);

    /// <summary>
    /// A connect whose every program start, with its arguments, strace writes to the returned file.
    /// The password comes from the environment, which no argument list shows. strace would follow
    /// the wireguard-go daemon that wg-quick leaves forever: once owg itself has exited, it is stopped.
    /// </summary>
    /// <returns>The trace, and owg's exit code.</returns>
    public async Task<(string[] Trace, int ExitCode)> ConnectTraced(string user)
    {
        var trace = Path.Combine(Directory.CreateTempSubdirectory("owg-trace-").FullName, "execve.log");
        await using var tracer = ChildProcess.Start("ip",
            ["netns", "exec", client.Namespace, "strace", "-f", "-q", "-e", "trace=execve", "-s", "4096", "-o", trace,
                .. Environment(), "connect", .. GatewayArguments(), "--user", user, "--interface", client.Interface],
            new Dictionary<string, string> { ["OWG_PASSWORD"] = ApiClient.Password }, Repository.LogPath($"{client.Namespace}-strace.log"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            // strace pads each line's pid: "7207  +++ exited with 0 +++".
            var lines = File.Exists(trace) ? await File.ReadAllLinesAsync(trace) : [];
            var words = lines.Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            if (words.FirstOrDefault()?[0] is { } owg && words.FirstOrDefault(w => w is [var pid, "+++", "exited", "with", _, ..] && pid == owg) is { } exit)
            {
                await tracer.StopAsync(TimeSpan.FromSeconds(5));
                return (lines, int.Parse(exit[4]));
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"owg connect under strace did not exit within 60 s; see {trace}");
    }

    /// <summary>Starts owg connect --sso, which shows where to log in and waits until the user has; what it prints goes to the process's log.</summary>
    public ChildProcess StartSsoConnect() =>
        ChildProcess.Start("ip", ["netns", "exec", client.Namespace, .. Environment(), "connect", "--sso", .. GatewayArguments(), "--interface", client.Interface],
            new Dictionary<string, string>(), Repository.LogPath($"{client.Namespace}-owg-sso.log"));

    /// <summary>The session id of a connect: the last word owg prints.</summary>
    public static string SessionIdOf(CommandResult connect) => connect.Output.Trim().Split(' ')[^1];

    public Task<CommandResult> Disconnect() => Run(null, "disconnect", "--interface", client.Interface);

    public Task<CommandResult> Status() => Run(null, "status", "--interface", client.Interface);

    private Task<CommandResult> Run(string? input, params string[] arguments) => client.TryAsync(input, [.. Environment(), .. arguments]);

    private string[] GatewayArguments() =>
        ["--gateway", gateway, .. certificate is null ? Array.Empty<string>() : ["--ca", certificate],
            .. insecureHttp && gateway.StartsWith("http://") ? ["--insecure-http"] : Array.Empty<string>()];

    private string[] Environment() =>
        ["env", $"OWG_STATE_DIR={client.StateDirectory}", "OWG_CURL_TIMEOUT=10", .. (settings ?? new Dictionary<string, string>()).Select(s => $"{s.Key}={s.Value}"), Script];
}
