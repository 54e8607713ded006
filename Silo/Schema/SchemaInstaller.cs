using Npgsql;

namespace OrleansWg.Silo.Schema;

/// <summary>
/// Applies the SQL files of this folder, in name order, in one transaction. They are idempotent,
/// and an advisory lock keeps silos that start together from applying them at the same time.
/// </summary>
public static class SchemaInstaller
{
    private const long LockKey = 0x6F7767; // "owg"

    public static async Task ApplyAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        foreach (var script in Scripts())
        {
            await Execute(connection, script, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static IEnumerable<string> Scripts()
    {
        var assembly = typeof(SchemaInstaller).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            yield return reader.ReadToEnd();
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
