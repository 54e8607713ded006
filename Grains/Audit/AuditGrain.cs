using Orleans.Concurrency;

namespace OrleansWg.Grains.Audit;

[StatelessWorker]
public sealed class AuditGrain(IAuditLog log) : Grain, IAuditGrain
{
    public Task Append(AuditEvent auditEvent) => log.Append(auditEvent);

    public Task<ImmutableArray<AuditEvent>> Read(AuditQuery query) => log.Read(query);
}
