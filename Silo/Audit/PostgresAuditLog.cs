using System.Collections.Immutable;
using System.Threading.Channels;
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
/// writes each as one log line (category OrleansWg.Audit), which fail2ban can read. One writer
/// commits whatever has come in while it wrote the last batch, in one transaction (group commit):
/// alone, an event costs one insert; in a flood of logins, a commit carries many.
/// </summary>
public sealed class PostgresAuditLog : IAuditLog, IAsyncDisposable
{
    private const int MaxBatch = 1000;

    private const string Insert = """
        INSERT INTO owg_audit (service_id, at, kind, outcome, username, source, session_id, server_id, detail, actor, actor_role)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        """;

    private const string Select = """
        SELECT at, kind, outcome, username, source, session_id, server_id, detail, actor, actor_role, count FROM owg_audit
        WHERE service_id = $1 AND ($2::text IS NULL OR username = $2) AND ($3::timestamptz IS NULL OR at >= $3)
          AND ($4::text IS NULL OR starts_with(kind, $4))
        ORDER BY at DESC, id DESC LIMIT $5
        """;

    private readonly NpgsqlDataSource database;
    private readonly string serviceId;
    private readonly ILogger lines;
    private readonly Channel<Pending> pending = Channel.CreateBounded<Pending>(new BoundedChannelOptions(10 * MaxBatch) { SingleReader = true });
    private readonly Task writer;

    public PostgresAuditLog(NpgsqlDataSource database, IOptions<ClusterOptions> cluster, ILoggerFactory loggers)
    {
        this.database = database;
        serviceId = cluster.Value.ServiceId;
        lines = loggers.CreateLogger("OrleansWg.Audit");
        writer = Task.Run(WriteAsync);
    }

    public async Task Append(params AuditEvent[] events)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await pending.Writer.WriteAsync(new Pending(events, written));
        await written.Task;
    }

    public Task<ImmutableArray<AuditEvent>> Read(AuditQuery query) => Guarded(async () =>
    {
        await using var command = database.CreateCommand(Select);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(Text(query.User, 64));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)query.Since?.ToUniversalTime() ?? DBNull.Value });
        command.Parameters.Add(Text(query.KindPrefix, 64));
        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit });
        await using var reader = await command.ExecuteReaderAsync();
        var events = ImmutableArray.CreateBuilder<AuditEvent>();
        while (await reader.ReadAsync())
        {
            events.Add(new AuditEvent(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2),
                Nullable<string>(reader, 3), Nullable<string>(reader, 4), reader.IsDBNull(5) ? null : reader.GetGuid(5),
                Nullable<string>(reader, 6), Nullable<string>(reader, 7), Nullable<string>(reader, 8), Nullable<string>(reader, 9), reader.GetInt32(10)));
        }

        return events.ToImmutable();
    });

    /// <summary>Deletes the events older than <paramref name="retention"/> (a day at least); returns how many.</summary>
    public Task<long> Prune(TimeSpan retention) => Guarded(async () =>
    {
        await using var command = database.CreateCommand("SELECT owg_audit_prune($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = retention });
        return (long)(await command.ExecuteScalarAsync())!;
    });

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await writer;
    }

    private async Task WriteAsync()
    {
        var batch = new List<Pending>();
        while (await pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var count = 0;
            while (count < MaxBatch && pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
                count += next.Events.Length;
            }

            try
            {
                await Guarded(() => InsertAsync(batch.SelectMany(p => p.Events)));
                batch.ForEach(p => p.Written.SetResult());
            }
            catch (StorageUnavailableException exception)
            {
                batch.ForEach(p => p.Written.SetException(exception));
                continue;
            }

            foreach (var e in batch.SelectMany(p => p.Events))
            {
                lines.LogInformation("audit {Kind} {Outcome} user={User} source={Source} session={SessionId} server={ServerId} actor={Actor} role={ActorRole} detail={Detail}",
                    e.Kind, e.Outcome, e.User ?? "-", e.Source ?? "-", e.SessionId?.ToString() ?? "-", e.ServerId ?? "-", e.Actor ?? "-", e.ActorRole ?? "-", e.Detail ?? "-");
            }
        }
    }

    /// <summary>
    /// All of them in one round trip and one transaction: failed logins added to their rows of the
    /// minute (see <see cref="LoginOutcomes.IsCounted"/>), the others inserted. Text longer than its
    /// column is cut to fit, so no event is refused.
    /// </summary>
    private async Task<int> InsertAsync(IEnumerable<AuditEvent> events)
    {
        await using var batch = database.CreateBatch();
        var counted = new Dictionary<(string Outcome, string? User, string? Source, DateTimeOffset Minute), (AuditEvent First, int Count)>();
        foreach (var e in events)
        {
            if (e.Kind != AuditKinds.Login || !LoginOutcomes.IsCounted(e.Outcome))
            {
                batch.BatchCommands.Add(InsertCommand(e));
                continue;
            }

            var row = e with { User = e.Outcome == LoginOutcomes.UnknownUser ? null : e.User };
            var key = (row.Outcome, row.User, row.Source, Minute(e.At));
            counted[key] = counted.TryGetValue(key, out var earlier) ? (earlier.First, earlier.Count + e.Count) : (row, e.Count);
        }

        foreach (var (first, count) in counted.Values)
        {
            var command = Command("SELECT owg_audit_count($1, $2, $3, $4, $5, $6, $7)", first);
            command.Parameters.Add(new NpgsqlParameter { Value = count });
            batch.BatchCommands.Add(command);
        }

        return await batch.ExecuteNonQueryAsync();
    }

    private NpgsqlBatchCommand InsertCommand(AuditEvent e)
    {
        var command = Command(Insert, e);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)e.SessionId ?? DBNull.Value });
        command.Parameters.Add(Text(e.ServerId, 64));
        command.Parameters.Add(Text(e.Detail, 1024));
        command.Parameters.Add(Text(e.Actor, 64));
        command.Parameters.Add(Text(e.ActorRole, 16));
        return command;
    }

    /// <summary>A command whose first parameters are the event's service, time, kind, outcome, user and source.</summary>
    private NpgsqlBatchCommand Command(string sql, AuditEvent e)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = e.At.ToUniversalTime() });
        command.Parameters.Add(Text(e.Kind, 64));
        command.Parameters.Add(Text(e.Outcome, 64));
        command.Parameters.Add(Text(e.User, 64));
        command.Parameters.Add(Text(e.Source, 64));
        return command;
    }

    private static DateTimeOffset Minute(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    private static NpgsqlParameter Text(string? value, int length) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = value is null ? DBNull.Value : value.Length > length ? value[..length] : value };

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

    private sealed record Pending(AuditEvent[] Events, TaskCompletionSource Written);
}
