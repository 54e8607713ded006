using Npgsql;

namespace OrleansWg.Silo.Schema;

/// <summary>
/// Applies the SQL files of this folder, in name order, in one transaction. They are idempotent,
/// and an advisory lock keeps silos that start together from applying them at the same time.
/// </summary>
public static partial class SchemaInstaller
{
    private const long LockKey = 0x6F7767; // "owg"

    /// <param name="connectionString">A login that may change the schema: the database's owner.</param>
    /// <param name="silos">
    /// A role to give the silos' rights to (read and write the tables, run the functions; the audit
    /// log only add to and read, its old events deleted by owg_audit_prune); null gives none.
    /// </param>
    public static async Task ApplyAsync(string connectionString, string? silos, CancellationToken cancellationToken)
    {
        if (silos is not null && !RoleName().IsMatch(silos))
        {
            throw new ArgumentException($"'{silos}' is not a role name (lower-case letters, digits and _)");
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        foreach (var script in Scripts())
        {
            await Execute(connection, script, cancellationToken);
        }

        if (silos is not null)
        {
            await Execute(connection, $"""
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {silos};
                GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {silos};
                GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {silos};
                REVOKE UPDATE, DELETE, TRUNCATE ON owg_audit FROM {silos};
                """, cancellationToken);
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

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial System.Text.RegularExpressions.Regex RoleName();

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
