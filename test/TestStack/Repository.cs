namespace OrleansWg.TestStack;

/// <summary>Where the built Silo and Gateway are: beside this test assembly's build, same configuration.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <param name="root">The source tree it was built in; this repository when null.</param>
    public static string Assembly(string project, string? root = null) =>
        Path.Combine(root ?? Root, project, "bin", Configuration, "net10.0", $"OrleansWg.{project}.dll");

    /// <summary>The configuration the tests were built in, which the tree they start is built in too.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string LogPath(string name) => Path.Combine(Root, ".artifacts", "test-logs", name);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrleansWg.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("OrleansWg.sln not found above " + AppContext.BaseDirectory);
    }
}
