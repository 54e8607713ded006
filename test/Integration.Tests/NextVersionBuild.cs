namespace OrleansWg.Integration.Tests;

/// <summary>
/// The next version of OrleansWg as a release would make it: this tree copied, with a grain
/// interface's version raised, a member added to a stored state and a schema migration of its
/// own, and built beside this one. What a rolling upgrade replaces the running processes with.
/// </summary>
public sealed class NextVersionBuild : IDisposable
{
    public const string Version = "0.99.0-next";

    /// <summary>The column of the audit log that the next version's migration adds.</summary>
    public const string MigratedColumn = "next_version_note";

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private NextVersionBuild(string root) => Root = root;

    /// <summary>The copy, with each process built in its usual place under it.</summary>
    public string Root { get; }

    public static async Task<NextVersionBuild> CreateAsync()
    {
        var build = new NextVersionBuild(Directory.CreateTempSubdirectory("owg-next-").FullName);
        try
        {
            // Every file of the tree, committed or not, but none that git ignores (no build output).
            await Command.Run("bash", "-c",
                $"cd '{Repository.Root}' && git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - | tar -xf - -C '{build.Root}'");
            await build.ChangeAsync(Path.Combine("Grains.Interfaces", "Servers", "IServerGrain.cs"), "[Version(2)]", "[Version(3)]");
            // Written by the next version's silos, read by the version before's while both run.
            const string Certificates = "[Id(11)] public NodeCertificates Certificates { get; set; } = new();";
            await build.ChangeAsync(Path.Combine("Grains", "Servers", "ServerState.cs"), Certificates,
                Certificates + "\n\n    [Id(99)] public string NextVersionNote { get; set; } = \"the next version's\";");
            await File.WriteAllTextAsync(Path.Combine(build.Root, "Silo", "Schema", "6-next.sql"),
                $"ALTER TABLE owg_audit ADD COLUMN IF NOT EXISTS {MigratedColumn} varchar(16) NULL;\n");
            foreach (var project in new[] { "Silo", "Gateway", "NodeHost" })
            {
                var built = await Command.Try("dotnet", null, BuildTimeout,
                    "build", Path.Combine(build.Root, project, $"{project}.csproj"), "-c", Repository.Configuration, $"-p:Version={Version}", "-v", "quiet", "-nologo");
                Assert.True(built.ExitCode == 0, built.Output + built.Error);
            }

            return build;
        }
        catch
        {
            build.Dispose();
            throw;
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>Replaces <paramref name="old"/>, which the file must hold, in a file of the copy.</summary>
    private async Task ChangeAsync(string file, string old, string replacement)
    {
        var path = Path.Combine(Root, file);
        var source = await File.ReadAllTextAsync(path);
        Assert.Contains(old, source, StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, source.Replace(old, replacement, StringComparison.Ordinal));
    }
}
