namespace OrleansWg.Integration.Tests;

public sealed class ScriptTests
{
    public static TheoryData<string> Scripts() => new(
        new[] { "client/owg", "docker/session/entrypoint.sh", ".ci/run" }
            .Concat(Directory.GetFiles(Path.Combine(Repository.Root, "scripts"), "*.sh", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(Repository.Root, path)))
            .Order());

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Every_script_parses_with_bash_n_and_is_shellcheck_clean(string script)
    {
        var path = Path.Combine(Repository.Root, script);

        var parse = await Command.Try("bash", null, "-n", path);
        // From the repository root, where the scripts' "shellcheck source=" directives point from.
        var lint = await Command.Try("bash", null, "-c", $"cd '{Repository.Root}' && shellcheck -x '{script}'");

        Assert.True(parse.ExitCode == 0, parse.Error);
        Assert.True(lint.ExitCode == 0, lint.Output);
    }

    [Fact]
    public async Task A_guest_that_cannot_boot_is_reported_as_not_run_with_its_reason_never_as_passed()
    {
        var run = await Command.Try("bash", null, "-c",
            $"cd '{Repository.Root}' && OWG_GUEST_QEMU=/bin/false scripts/guest.sh run scripts/guest/smoke.sh");

        Assert.Equal(75, run.ExitCode);
        Assert.Contains(run.Output.Split('\n'), line => line.StartsWith("not run: qemu", StringComparison.Ordinal));
    }
}
