using Npgsql;

namespace OrleansWg.TestStack;

/// <summary>A fresh, empty database on a PostgreSQL server (by default the one scripts/test.sh started); dropped at the end.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string serverConnectionString;

    private TestDatabase(string serverConnectionString, string name)
    {
        this.serverConnectionString = serverConnectionString;
        Name = name;
        // The pool run.sh and compose give a silo: three silos' pools together stay under the test server's max_connections (200).
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name, MaxPoolSize = 50 }.ConnectionString;
    }

    /// <summary>The server scripts/test.sh started, as its superuser.</summary>
    public static string Server { get; } = Environment.GetEnvironmentVariable("OWG_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=55433;Username=postgres;Database=postgres";

    public string Name { get; }

    public string ConnectionString { get; }

    /// <param name="server">A connection string to the server; the one scripts/test.sh started when null.</param>
    public static async Task<TestDatabase> CreateAsync(string? server = null)
    {
        server ??= Server;
        var database = new TestDatabase(server, $"owg_test_{Guid.NewGuid():N}");
        await database.ExecuteOnServer($"CREATE DATABASE {database.Name}");
        return database;
    }

    public async Task<T?> Scalar<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T?)await command.ExecuteScalarAsync();
    }

    /// <summary>A backup of the database into <paramref name="file"/>, taken as docs/operations.md takes one (scripts/lib/backup.sh).</summary>
    public Task BackupAsync(string file) => BackupScript("db_backup", file);

    /// <summary>The database made as the backup <paramref name="file"/> holds it, as docs/operations.md restores one.</summary>
    public Task RestoreAsync(string file) => BackupScript("db_restore", file);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServer($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private Task BackupScript(string function, string file)
    {
        var server = new NpgsqlConnectionStringBuilder(serverConnectionString);
        return Command.Run("bash", "-c",
            $"cd '{Repository.Root}' && source scripts/lib/backup.sh && {function} '{file}' {Name} env PGHOST={server.Host} PGPORT={server.Port} PGUSER={server.Username}");
    }

    private async Task ExecuteOnServer(string sql)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
