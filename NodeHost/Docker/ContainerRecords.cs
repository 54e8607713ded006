namespace OrleansWg.NodeHost.Docker;

/// <summary>
/// What the node keeps of each container on the host, beside its UAPI directory and never inside
/// it (the container can write there): its interface's private key, whose it is once a warm
/// container is claimed and before the rename shows it, and the bandwidth limits set in it.
/// </summary>
public static class ContainerRecords
{
    public static string KeyFile(string uapiDirectory) => Beside(uapiDirectory, "keys", ".key");

    public static string OwnerFile(string uapiDirectory) => Beside(uapiDirectory, "owners", ".owner");

    public static string ShapingFile(string uapiDirectory) => Beside(uapiDirectory, "shaping", ".limits");

    public static string? Owner(string uapiDirectory) =>
        uapiDirectory.Length > 0 && File.Exists(OwnerFile(uapiDirectory)) ? File.ReadAllText(OwnerFile(uapiDirectory)) : null;

    public static async Task SetOwnerAsync(string uapiDirectory, string user, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(OwnerFile(uapiDirectory))!);
        await File.WriteAllTextAsync(OwnerFile(uapiDirectory), user, cancellationToken);
    }

    public static void Remove(string uapiDirectory)
    {
        foreach (var file in new[] { KeyFile(uapiDirectory), OwnerFile(uapiDirectory), ShapingFile(uapiDirectory) }.Where(File.Exists))
        {
            File.Delete(file);
        }
    }

    private static string Beside(string uapiDirectory, string kind, string extension) =>
        Path.Combine(Path.GetDirectoryName(uapiDirectory)!, kind, Path.GetFileName(uapiDirectory) + extension);
}
