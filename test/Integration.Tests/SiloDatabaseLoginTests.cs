using Npgsql;

namespace OrleansWg.Integration.Tests;

/// <summary>What the silos' own database login may do once `install-schema` has given it its rights, as compose and run.sh do.</summary>
public sealed class SiloDatabaseLoginTests
{
    [Fact]
    public async Task The_silos_login_adds_and_reads_audit_events_cannot_change_or_delete_them_and_prunes_only_those_past_a_day()
    {
        var role = $"owg_silo_{Guid.NewGuid():N}"[..24];
        var database = await TestDatabase.CreateAsync();
        try
        {
            await database.Scalar<object>($"CREATE ROLE {role} LOGIN");
            var install = await Command.Try("env", null,
                $"ConnectionStrings__Orleans={database.ConnectionString}", "dotnet", Repository.Assembly("Silo"), "install-schema", role);
            Assert.True(install.ExitCode == 0, install.Output + install.Error);
            await using var silo = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Pooling = false }.ConnectionString);

            await Execute(silo, """
                INSERT INTO owg_audit (service_id, at, kind, outcome) VALUES
                    ('owg', now() - interval '3 days', 'login', 'ok'), ('owg', now() - interval '2 hours', 'login', 'ok')
                """);
            var refused = new List<string?>();
            foreach (var change in new[] { "UPDATE owg_audit SET outcome = 'changed'", "DELETE FROM owg_audit", "TRUNCATE owg_audit" })
            {
                var exception = await Assert.ThrowsAsync<PostgresException>(() => Execute(silo, change));
                refused.Add(exception.SqlState);
            }

            var pruned = await Scalar<long>(silo, "SELECT owg_audit_prune('owg', interval '1 hour')");

            Assert.Equal([PostgresErrorCodes.InsufficientPrivilege, PostgresErrorCodes.InsufficientPrivilege, PostgresErrorCodes.InsufficientPrivilege], refused);
            Assert.Equal(1, pruned);
            Assert.Equal(["ok"], await Outcomes(silo));
        }
        finally
        {
            await database.DisposeAsync();
            await using var server = NpgsqlDataSource.Create(TestDatabase.Server);
            await Execute(server, $"DROP ROLE IF EXISTS {role}");
        }
    }

    private static async Task Execute(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> Scalar<T>(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> Outcomes(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("SELECT outcome FROM owg_audit");
        await using var reader = await command.ExecuteReaderAsync();
        var outcomes = new List<string>();
        while (await reader.ReadAsync())
        {
            outcomes.Add(reader.GetString(0));
        }

        return outcomes;
    }
}
