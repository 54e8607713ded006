namespace OrleansWg.TestStack;

/// <summary>
/// A network namespace of the test's own with a wireguard-go interface in it, to hand
/// configurations to the real wg tools. Interface names are unique on the machine because
/// every namespace shares /var/run/wireguard.
/// </summary>
public sealed class WireGuardNamespace : IAsyncDisposable
{
    private readonly string suffix = Guid.NewGuid().ToString("N")[..6];
    private ChildProcess? wireguard;

    public string Namespace => $"owgt-{suffix}";

    public string Interface => $"owgt{suffix}";

    public static async Task<WireGuardNamespace> CreateAsync()
    {
        var created = new WireGuardNamespace();
        try
        {
            await Command.Run("ip", "netns", "add", created.Namespace);
            created.wireguard = ChildProcess.Start("ip", ["netns", "exec", created.Namespace, "wireguard-go", "-f", created.Interface],
                new Dictionary<string, string> { ["WG_PROCESS_FOREGROUND"] = "1" }, Repository.LogPath($"{created.Interface}.log"));
            var socket = $"/var/run/wireguard/{created.Interface}.sock";
            for (var attempt = 0; attempt < 100 && !File.Exists(socket); attempt++)
            {
                await Task.Delay(50);
            }

            return File.Exists(socket) ? created : throw new InvalidOperationException($"wireguard-go made no {socket}");
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }
    }

    /// <summary>wg-quick's own parser strips the file to what wg takes; wg setconf applies it; wg showconf reads it back.</summary>
    public async Task<string> ApplyWgQuickConfig(string config)
    {
        var directory = Directory.CreateTempSubdirectory("owg-config-");
        try
        {
            var file = Path.Combine(directory.FullName, $"{Interface}.conf");
            await File.WriteAllTextAsync(file, config);
            var stripped = Path.Combine(directory.FullName, "stripped.conf");
            await File.WriteAllTextAsync(stripped, await Command.Run("wg-quick", "strip", file));
            await Command.Run("ip", "netns", "exec", Namespace, "wg", "setconf", Interface, stripped);
            return await Command.Run("ip", "netns", "exec", Namespace, "wg", "showconf", Interface);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (wireguard is not null)
        {
            await wireguard.DisposeAsync();
        }

        try
        {
            await Command.Run("ip", "netns", "del", Namespace);
        }
        catch (InvalidOperationException)
        {
            // The namespace was never made.
        }

        File.Delete($"/var/run/wireguard/{Interface}.sock");
    }
}
