namespace OrleansWg.TestStack;

/// <summary>A cluster CA of a test's own, made with the project's scripts/lib/pki.sh, removed at the end.</summary>
public sealed class Pki : IDisposable
{
    private Pki(string directory) => Directory = directory;

    public string Directory { get; }

    public static Pki Create() => new(System.IO.Directory.CreateTempSubdirectory("owg-pki-").FullName);

    /// <summary>The CA and the node CA are made with the first member; a member already made is kept.</summary>
    public Task MemberAsync(string name, string role, string? serverId = null) => Command.Run("bash", "-c",
        $"source {Path.Combine(Repository.Root, "scripts", "lib", "pki.sh")} && pki_authority {Directory} && pki_node_authority {Directory} && pki_member {Directory} {name} {role} {serverId}");

    /// <summary>The Gateway's self-signed HTTPS certificate for <paramref name="address"/>: web.pem and web.key.</summary>
    public Task WebAsync(string address) =>
        Command.Run("bash", "-c", $"source {Path.Combine(Repository.Root, "scripts", "lib", "pki.sh")} && pki_web {Directory} {address}");

    /// <summary>The settings that give a process the identity <paramref name="name"/>.</summary>
    public Dictionary<string, string> Settings(string name) => new()
    {
        ["Cluster__Tls__Authority"] = Path.Combine(Directory, "ca.pem"),
        ["Cluster__Tls__Certificate"] = Path.Combine(Directory, $"{name}.pem"),
        ["Cluster__Tls__Key"] = Path.Combine(Directory, $"{name}.key"),
        ["Cluster__Tls__Credential"] = Path.Combine(Directory, $"{name}.credential"),
    };

    /// <summary>A silo's settings beside its identity's: the node CA, with which it issues enrolling nodes their certificates.</summary>
    public Dictionary<string, string> IssuerSettings() => new()
    {
        ["Cluster__Tls__NodeAuthority"] = Path.Combine(Directory, "node-ca.pem"),
        ["Cluster__Tls__NodeAuthorityKey"] = Path.Combine(Directory, "node-ca.key"),
    };

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
