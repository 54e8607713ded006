namespace OrleansWg.Integration.Tests;

public sealed class ControlPlaneFixture : IAsyncLifetime
{
    public ControlPlane Plane { get; private set; } = null!;

    public async Task InitializeAsync() => Plane = await ControlPlane.StartAsync();

    public async Task DisposeAsync() => await Plane.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ControlPlaneCollection : ICollectionFixture<ControlPlaneFixture>
{
    public const string Name = "control plane";
}
