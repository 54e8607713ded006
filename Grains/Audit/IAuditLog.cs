namespace OrleansWg.Grains.Audit;

/// <summary>Where audit events are kept: a store that outlives any silo (the silo host provides it).</summary>
public interface IAuditLog
{
    /// <summary>Returns once the events are stored; throws <see cref="StorageUnavailableException"/> when they could not be.</summary>
    Task Append(params AuditEvent[] events);

    /// <returns>Newest first.</returns>
    Task<ImmutableArray<AuditEvent>> Read(AuditQuery query);
}
