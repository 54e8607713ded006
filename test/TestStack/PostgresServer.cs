namespace OrleansWg.TestStack;

/// <summary>
/// A PostgreSQL server of one test's own (scripts/lib/postgres.sh, as the scripts start theirs), so
/// the test can stop and start it without touching the server every other test uses.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string dataDirectory = $"/var/lib/orleanswg/postgres-{Guid.NewGuid():N}"[..46];
    private readonly int port = FreePort.Next();

    public string ConnectionString => $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";

    public static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer();
        await server.StartAgainAsync();
        return server;
    }

    public Task StartAgainAsync() => Script($"pg_start '{dataDirectory}' {port}");

    public Task StopAsync() => Script($"pg_stop '{dataDirectory}'");

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(dataDirectory, recursive: true);
    }

    private static Task Script(string call) =>
        Command.Run("bash", "-c", $"cd '{Repository.Root}' && source scripts/lib/postgres.sh && {call}");
}
