namespace OrleansWg;

/// <summary>What a node runs after converging.</summary>
[GenerateSerializer, Immutable, Alias("owg.NodeActualState")]
public sealed record NodeActualState(ImmutableArray<ActualContainer> Containers);

/// <param name="PublicKey">The public key of the container's interface; its private key never leaves the node.</param>
[GenerateSerializer, Immutable, Alias("owg.ActualContainer")]
public sealed record ActualContainer(string User, int ListenPort, string PublicKey);
