namespace OrleansWg.NodeHost.WireGuard;

/// <summary>
/// An interface's private key, kept by the node on the host, outside anything its container can
/// write: a container that restarts (its wireguard-go starts with no key) gets the same key back,
/// so its clients' configs stay valid.
/// </summary>
public static class InterfaceKeyFile
{
    public static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    public static void Write(string path, string privateKey)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".new";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new StreamWriter(temporary, options))
        {
            file.Write(privateKey);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
