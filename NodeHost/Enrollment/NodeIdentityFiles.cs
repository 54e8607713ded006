using System.Security.Cryptography;
using OrleansWg.Hosting;

namespace OrleansWg.NodeHost.Enrollment;

/// <summary>
/// An enrolled node's identity in its state directory (<c>SERVER.identity/</c>, the node's user
/// only): <c>node.pem</c> (its certificate, the node CA's, and its private key, in one file so that
/// a key is never kept beside another key's certificate), <c>node.credential</c> and the cluster's
/// <c>ca.pem</c>. Each file is written aside and renamed into place, the credential before the
/// certificate: a node stopped between the two holds an older certificate that still admits it,
/// with the newer credential, and simply renews again.
/// </summary>
public sealed class NodeIdentityFiles(string stateDirectory, string serverId)
{
    private readonly string directory = Path.Combine(stateDirectory, $"{serverId}.identity");

    private string CertificatePath => Path.Combine(directory, "node.pem");

    private string CredentialPath => Path.Combine(directory, "node.credential");

    private string AuthorityPath => Path.Combine(directory, "ca.pem");

    public bool Exist => File.Exists(CertificatePath) && File.Exists(CredentialPath) && File.Exists(AuthorityPath);

    /// <summary>When the certificate was written: the node renews counting from then (its start is set back for clocks that differ).</summary>
    public DateTimeOffset ReceivedAt => File.GetLastWriteTimeUtc(CertificatePath);

    public ClusterIdentity Load() => ClusterIdentity.Load(new ClusterTlsSettings
    {
        Authority = AuthorityPath,
        Certificate = CertificatePath,
        Key = CertificatePath,
        Credential = CredentialPath,
    });

    /// <summary>Keeps a new identity: <paramref name="key"/> and what the cluster issued for it.</summary>
    public void Save(ECDsa key, string certificatePem, string credential, string authorityPem)
    {
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Write(AuthorityPath, authorityPem);
        Write(CredentialPath, credential + "\n");
        Write(CertificatePath, certificatePem + key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    private static void Write(string path, string text)
    {
        var aside = path + ".new";
        File.WriteAllText(aside, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(aside, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(aside, text);
        File.Move(aside, path, overwrite: true);
    }
}
