namespace OrleansWg;

/// <summary>The audit log, for the Gateway: what it sees itself (admin actions, refused logins) and what it reads back. Any key.</summary>
[Alias("owg.IAuditGrain")]
[Version(1)]
public interface IAuditGrain : IGrainWithIntegerKey
{
    /// <summary>Returns once the event is stored.</summary>
    [Alias("Append")] Task Append(AuditEvent auditEvent);

    /// <returns>Newest first.</returns>
    [Alias("Read")] Task<ImmutableArray<AuditEvent>> Read(AuditQuery query);
}
