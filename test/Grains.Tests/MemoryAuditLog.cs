using System.Collections.Concurrent;
using OrleansWg.Grains.Audit;

namespace OrleansWg.Grains.Tests;

/// <summary>The audit log in memory, shared by the fixture's silos: what the grains appended, in order.</summary>
public sealed class MemoryAuditLog : IAuditLog
{
    private readonly ConcurrentQueue<AuditEvent> events = new();

    public IReadOnlyList<AuditEvent> Events => [.. events];

    public Task Append(params AuditEvent[] appended)
    {
        foreach (var e in appended)
        {
            events.Enqueue(e);
        }

        return Task.CompletedTask;
    }

    public Task<ImmutableArray<AuditEvent>> Read(AuditQuery query) => Task.FromResult(events.Reverse()
        .Where(e => (query.User is null || e.User == query.User) && (query.Since is null || e.At >= query.Since)
            && (query.KindPrefix is null || e.Kind.StartsWith(query.KindPrefix, StringComparison.Ordinal)))
        .Take(query.Limit).ToImmutableArray());
}
