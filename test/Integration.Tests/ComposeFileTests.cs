namespace OrleansWg.Integration.Tests;

/// <summary>docker/compose.yaml as compose users meet it, without starting anything.</summary>
public sealed class ComposeFileTests
{
    [Fact]
    public async Task The_compose_file_reads_with_the_documented_env_file_alone_and_names_every_service()
    {
        var config = await Command.Try("docker-compose", null,
            "-f", Path.Combine(Repository.Root, "docker", "compose.yaml"), "--env-file", Path.Combine(Repository.Root, "docker", ".env.example"), "config", "--services");

        Assert.True(config.ExitCode == 0, config.Error);
        Assert.Equal(["gateway", "nodehost", "postgres", "schema", "silo1", "silo2", "silo3"],
            config.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
        Assert.DoesNotContain("is not set", config.Error);
    }

    [Fact]
    public async Task The_cluster_demo_before_up_says_in_one_line_to_run_up_first()
    {
        var demo = await Command.Try("env", null, "OWG_CLUSTER_NAME=owg-never-up", "bash", Path.Combine(Repository.Root, "scripts", "cluster.sh"), "demo");

        Assert.Equal((1, "the cluster owg-never-up is not up: run scripts/cluster.sh up first\n"), (demo.ExitCode, demo.Error));
    }
}
