namespace OrleansWg;

/// <param name="Servers">Candidate servers, best first; the session takes the first that accepts it.</param>
[GenerateSerializer, Immutable, Alias("owg.SessionStart")]
public sealed record SessionStart(string User, string? ClientPublicKey, ImmutableArray<string> Servers);

