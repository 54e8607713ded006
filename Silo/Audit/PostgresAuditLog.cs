using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using OrleansWg.Grains;
using OrleansWg.Grains.Audit;

namespace OrleansWg.Silo.Audit;

/// <summary>
/// Keeps audit events in table owg_audit, each committed before the call that made it returns, and
/// writes each as one log line (category OrleansWg.Audit), which fail2ban can read.
/// </summary>
public sealed class PostgresAuditLog(NpgsqlDataSource database, IOptions<ClusterOptions> cluster, ILoggerFactory loggers) : IAuditLog
{
    private const int MaxDetail = 1024;

    private const string Insert = """
        INSERT INTO owg_audit (service_id, at, kind, outcome, username, source, session_id, server_id, detail)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        """;

    private const string Select = """
        SELECT at, kind, outcome, username, source, session_id, server_id, detail FROM owg_audit
        WHERE service_id = $1 AND ($2::text IS NULL OR username = $2) AND ($3::timestamptz IS NULL OR at >= $3)
          AND ($4::text IS NULL OR starts_with(kind, $4))
        ORDER BY at DESC, id DESC LIMIT $5
        """;

    private readonly ILogger lines = loggers.CreateLogger("OrleansWg.Audit");

    public async Task Append(params AuditEvent[] events)
    {
        await Guarded(async () =>
        {
            await using var batch = database.CreateBatch();
            foreach (var e in events)
            {
                var command = new NpgsqlBatchCommand(Insert);
                command.Parameters.Add(new NpgsqlParameter { Value = cluster.Value.ServiceId });
                command.Parameters.Add(new NpgsqlParameter { Value = e.At.ToUniversalTime() });
                command.Parameters.Add(new NpgsqlParameter { Value = e.Kind });
                command.Parameters.Add(new NpgsqlParameter { Value = e.Outcome });
                command.Parameters.Add(Text(e.User));
                command.Parameters.Add(Text(e.Source));
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)e.SessionId ?? DBNull.Value });
                command.Parameters.Add(Text(e.ServerId));
                command.Parameters.Add(Text(e.Detail is { Length: > MaxDetail } detail ? detail[..MaxDetail] : e.Detail));
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync();
            return 0;
        });
        foreach (var e in events)
        {
            lines.LogInformation("audit {Kind} {Outcome} user={User} source={Source} session={SessionId} server={ServerId} detail={Detail}",
                e.Kind, e.Outcome, e.User ?? "-", e.Source ?? "-", e.SessionId?.ToString() ?? "-", e.ServerId ?? "-", e.Detail ?? "-");
        }
    }

    public Task<ImmutableArray<AuditEvent>> Read(AuditQuery query) => Guarded(async () =>
    {
        await using var command = database.CreateCommand(Select);
        command.Parameters.Add(new NpgsqlParameter { Value = cluster.Value.ServiceId });
        command.Parameters.Add(Text(query.User));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)query.Since?.ToUniversalTime() ?? DBNull.Value });
        command.Parameters.Add(Text(query.KindPrefix));
        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit });
        await using var reader = await command.ExecuteReaderAsync();
        var events = ImmutableArray.CreateBuilder<AuditEvent>();
        while (await reader.ReadAsync())
        {
            events.Add(new AuditEvent(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2),
                Nullable<string>(reader, 3), Nullable<string>(reader, 4), reader.IsDBNull(5) ? null : reader.GetGuid(5),
                Nullable<string>(reader, 6), Nullable<string>(reader, 7)));
        }

        return events.ToImmutable();
    });

    /// <summary>Deletes the events older than <paramref name="retention"/>; returns how many.</summary>
    public Task<int> Prune(TimeSpan retention) => Guarded(async () =>
    {
        await using var command = database.CreateCommand("DELETE FROM owg_audit WHERE service_id = $1 AND at < now() - $2");
        command.Parameters.Add(new NpgsqlParameter { Value = cluster.Value.ServiceId });
        command.Parameters.Add(new NpgsqlParameter { Value = retention });
        return await command.ExecuteNonQueryAsync();
    });

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static T? Nullable<T>(NpgsqlDataReader reader, int column)
        where T : class => reader.IsDBNull(column) ? null : reader.GetFieldValue<T>(column);

    private async Task<T> Guarded<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception exception) when (DatabaseFaults.IsDatabaseFault(exception))
        {
            lines.LogError(exception, "The audit log's database did not answer");
            throw new StorageUnavailableException();
        }
    }
}
