using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansWg.Grains.Audit;

namespace OrleansWg.Grains.Tests;

/// <summary>Two in-process silos with in-memory storage and reminders, shared by one test collection.</summary>
public class ClusterFixture : IAsyncLifetime
{
    public const int MaxSessionsPerUser = 3;

    private readonly Dictionary<string, string?> settings = new()
    {
        ["Users:MaxSessionsPerUser"] = $"{MaxSessionsPerUser}",
        ["Users:LockoutPeriod"] = "00:10:00",
        ["Users:SecretKeys:0"] = "grain-tests-mfa-secret-key-of-32-characters",
        ["Placement:NodeCallTimeout"] = "00:00:05",
        ["Placement:ContainerStartTimeout"] = "00:00:05",
    };

    private InProcessTestCluster? cluster;

    // The silos' clock, when a collection sets the time itself.
    private readonly TimeProvider? clock;

    public ClusterFixture()
    {
    }

    /// <param name="overrides">Settings of a collection of its own, over the common ones.</param>
    /// <param name="clock">The clock of the silos' services, grains included, when not the system's.</param>
    protected ClusterFixture(Dictionary<string, string?> overrides, TimeProvider? clock = null)
    {
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        this.clock = clock;
    }

    public IClusterClient Client => cluster!.Client;

    public MemoryAuditLog Audit { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Default);
            silo.UseInMemoryReminderService();
            silo.Services.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            if (clock is not null)
            {
                silo.Services.AddSingleton(clock);
            }

            silo.Services.AddOrleansWgGrains(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
            silo.Services.AddSingleton<IAuditLog>(Audit);
            silo.Services.AddSingleton(TestAuthorities.Issuer);
        });
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    /// <summary>What a grain's state holds in storage now: what its next activation would start from.</summary>
    public async Task<T?> Stored<T>(string stateName, GrainId grainId)
    {
        var stored = new GrainState<T>();
        await cluster!.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StorageNames.Default).ReadStateAsync(stateName, grainId, stored);
        return stored.State;
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>A cluster whose servers audit their peers every second and keep a container 2 s after its last session, for the tests of both.</summary>
public sealed class AuditingClusterFixture() : ClusterFixture(new() { ["Placement:PeerAuditPeriod"] = "00:00:01", ["Placement:ContainerLinger"] = "00:00:02" });

[CollectionDefinition(Name)]
public sealed class AuditingClusterCollection : ICollectionFixture<AuditingClusterFixture>
{
    public const string Name = "auditing cluster";
}

/// <summary>
/// A cluster whose servers look at their peers every second and call a session idle after two;
/// sessions' own reminders come only once an hour, so what ends them is their server's scan.
/// </summary>
public sealed class ScanningClusterFixture() : ClusterFixture(new()
{
    ["Sessions:CheckPeriod"] = "00:00:01",
    ["Sessions:IdleTimeout"] = "00:00:02",
    ["Sessions:BackstopPeriod"] = "01:00:00",
});

[CollectionDefinition(Name)]
public sealed class ScanningClusterCollection : ICollectionFixture<ScanningClusterFixture>
{
    public const string Name = "scanning cluster";
}

/// <summary>A cluster whose clock moves only when a test moves it (<see cref="Clock"/>).</summary>
public sealed class FakeClockClusterFixture() : ClusterFixture([], SharedClock)
{
    private static readonly FakeTimeProvider SharedClock = new(DateTimeOffset.UtcNow);

    public FakeTimeProvider Clock => SharedClock;
}

[CollectionDefinition(Name)]
public sealed class FakeClockClusterCollection : ICollectionFixture<FakeClockClusterFixture>
{
    public const string Name = "fake clock cluster";
}

/// <summary>A cluster that calls a node down after 3 s unheard, the shortest Placement:NodeDownAfter a silo takes.</summary>
public sealed class QuickNodeDownClusterFixture() : ClusterFixture(new() { ["Placement:NodeDownAfter"] = "00:00:03" });

[CollectionDefinition(Name)]
public sealed class QuickNodeDownClusterCollection : ICollectionFixture<QuickNodeDownClusterFixture>
{
    public const string Name = "quick node down cluster";
}
