using OrleansWg.NodeHost.Convergence;

namespace OrleansWg.NodeHost.Tests;

public sealed class StartWindowTests
{
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(15);

    private readonly StartWindow window = new(least: 2, most: 32, Target);

    [Fact]
    public void Starts_that_end_within_the_target_keep_the_whole_window()
    {
        Assert.False(window.Ended(window.Begin(), Fast));

        Assert.Equal(32, window.Allowed);
    }

    [Fact]
    public void Slow_starts_in_flight_together_halve_the_window_once()
    {
        var together = Enumerable.Range(0, 32).Select(_ => window.Begin()).ToList();

        var halved = together.Count(start => window.Ended(start, Slow));

        Assert.Equal(1, halved);
        Assert.Equal(16, window.Allowed);
    }

    [Fact]
    public void A_slow_start_begun_after_the_window_halved_halves_it_again_down_to_the_least()
    {
        for (var round = 0; round < 6; round++)
        {
            window.Ended(window.Begin(), Slow);
        }

        Assert.Equal(2, window.Allowed);
    }

    [Fact]
    public void Fast_starts_grow_a_halved_window_by_one_each_up_to_the_most()
    {
        window.Ended(window.Begin(), Slow);

        window.Ended(window.Begin(), Fast);
        Assert.Equal(17, window.Allowed);

        for (var start = 0; start < 40; start++)
        {
            window.Ended(window.Begin(), Fast);
        }

        Assert.Equal(32, window.Allowed);
    }
}
