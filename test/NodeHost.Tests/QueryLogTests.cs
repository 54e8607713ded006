using Microsoft.Extensions.Time.Testing;
using OrleansWg.NodeHost.Dns;

namespace OrleansWg.NodeHost.Tests;

public sealed class QueryLogTests : IDisposable
{
    private const string Query = "[1796526124] unbound[20928:0] info: 198.18.64.3 www.internet.example. A IN";
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("owg-query-log-");
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));

    private QueryLog Log => new(Path.Combine(directory.FullName, "queries"), clock);

    [Fact]
    public void A_group_that_asks_for_none_has_its_query_lines_taken_and_kept_nowhere()
    {
        var log = Log;
        log.Keep(0);

        Assert.True(log.TryWrite(Query));
        Assert.False(Directory.Exists(log.Directory));
    }

    [Fact]
    public void Queries_go_to_a_file_a_day_and_the_days_past_the_kept_ones_are_removed()
    {
        var log = Log;
        log.Keep(2);
        log.TryWrite(Query);
        clock.Advance(TimeSpan.FromDays(1));
        log.TryWrite(Query);
        clock.Advance(TimeSpan.FromDays(1));
        log.TryWrite(Query);

        Assert.Equal(["2026-12-07.log", "2026-12-08.log"], Directory.GetFiles(log.Directory).Select(Path.GetFileName).Order());
        Assert.Equal("2026-12-08T10:00:00.0000000+00:00 198.18.64.3 www.internet.example. A IN\n", File.ReadAllText(Path.Combine(log.Directory, "2026-12-08.log")));
    }

    [Fact]
    public void Turning_the_log_off_removes_the_days_kept()
    {
        var log = Log;
        log.Keep(7);
        log.TryWrite(Query);

        log.Keep(0);

        Assert.Empty(Directory.GetFiles(log.Directory));
    }

    [Theory]
    [InlineData("[1796526124] unbound[20928:0] notice: init module 0: respip")]
    [InlineData("[1796526124] unbound[20928:0] info: start of service (unbound 1.17.1).")]
    [InlineData("[1796526124] unbound[20928:0] error: can't bind socket: Address already in use for 198.18.64.1 port 53")]
    public void Other_lines_of_unbound_are_not_queries(string line) => Assert.False(Log.TryWrite(line));

    public void Dispose() => directory.Delete(recursive: true);
}
