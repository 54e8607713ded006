using Microsoft.Extensions.Configuration;

namespace OrleansWg.Hosting;

/// <summary>
/// Secrets come to a process as files, never in its environment or on its command line (both of
/// which <c>docker inspect</c> and <c>ps</c> show): every file in the directory <c>SecretsDirectory</c>
/// names (default <c>/run/secrets</c>, where compose mounts its secrets) is the setting its name
/// says, <c>Gateway__BootstrapToken</c> for <c>Gateway:BootstrapToken</c>, and wins over the environment.
/// </summary>
public static class SecretFiles
{
    public const string DirectorySetting = "SecretsDirectory";

    public const string DefaultDirectory = "/run/secrets";

    public static IConfigurationManager AddSecretFiles(this IConfigurationManager configuration)
    {
        var directory = configuration[DirectorySetting] is { Length: > 0 } named ? named : DefaultDirectory;
        configuration.AddKeyPerFile(directory, optional: true);
        return configuration;
    }
}
