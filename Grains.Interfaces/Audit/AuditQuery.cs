namespace OrleansWg;

/// <summary>The newest <paramref name="Limit"/> events, optionally of one user, at or after <paramref name="Since"/>, of kinds starting with <paramref name="KindPrefix"/>.</summary>
[GenerateSerializer, Immutable, Alias("owg.AuditQuery")]
public sealed record AuditQuery(string? User, DateTimeOffset? Since, int Limit, string? KindPrefix = null);
