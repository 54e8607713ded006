using OrleansWg.NodeHost.Docker;

namespace OrleansWg.NodeHost.Tests;

public sealed class ContainerInventoryTests
{
    private readonly ContainerInventory inventory = new();

    private static SessionContainer Warm(string id, int port = 51000) =>
        new(id, $"owg-warm-{id}", null, IsWarm: true, port, $"/var/lib/owg/node-1/{id}", Running: true);

    private static ContainerReading Listing(params SessionContainer[] listed) => new(listed, new HashSet<string>());

    [Fact]
    public void Before_a_listing_the_inventory_refuses_to_be_read()
    {
        Assert.False(inventory.IsListed);
        Assert.Throws<InvalidOperationException>(() => inventory.List());
    }

    [Fact]
    public void The_first_listing_is_the_inventory_as_Docker_listed_it()
    {
        inventory.TakeFirstListing([Warm("a"), Warm("b")]);

        Assert.True(inventory.IsListed);
        Assert.Equal(["a", "b"], inventory.List().Select(c => c.Id));
    }

    [Fact]
    public void A_container_Docker_no_longer_lists_leaves_the_inventory_at_the_next_reading()
    {
        inventory.TakeFirstListing([Warm("a"), Warm("b")]);

        inventory.BeginReading();
        var present = inventory.TakeReading(Listing(Warm("b")));

        Assert.Equal(["b"], present.Select(c => c.Id));
    }

    [Fact]
    public void A_container_the_node_changed_while_Docker_was_read_is_as_the_node_has_it()
    {
        inventory.TakeFirstListing([Warm("a")]);

        inventory.BeginReading();
        var claimed = Warm("a") with { Name = "owg-alice", User = "alice", IsWarm = false };
        inventory.Replace(claimed);
        var present = inventory.TakeReading(Listing(Warm("a")));

        Assert.Equal([claimed], present);
    }

    [Fact]
    public void A_container_removed_while_Docker_was_read_is_not_listed_again()
    {
        inventory.TakeFirstListing([Warm("a")]);

        inventory.BeginReading();
        inventory.Forget(Warm("a"));

        Assert.Empty(inventory.TakeReading(Listing(Warm("a"))));
    }

    [Fact]
    public void A_container_created_while_Docker_was_read_stays_though_Docker_did_not_list_it()
    {
        inventory.TakeFirstListing([]);

        inventory.BeginReading();
        var created = Warm("a") with { Running = false, Starting = true };
        inventory.EnterStarting(created);

        Assert.Equal([created], inventory.TakeReading(Listing()));
    }

    [Fact]
    public void A_starting_container_is_listed_as_the_node_entered_it_not_as_Docker_lists_it()
    {
        inventory.TakeFirstListing([]);
        var created = Warm("a") with { Running = false, Starting = true };
        inventory.EnterStarting(created);

        inventory.BeginReading();
        var present = inventory.TakeReading(Listing(Warm("a") with { Running = false }));

        Assert.Equal([created], present);
    }

    [Fact]
    public void A_container_is_entered_as_running_once_and_is_no_longer_starting()
    {
        inventory.TakeFirstListing([]);
        var created = Warm("a") with { Running = false, Starting = true };
        inventory.EnterStarting(created);
        var running = created with { Running = true, Starting = false };

        Assert.True(inventory.EnterRunning(running));
        Assert.False(inventory.EnterRunning(running));
        inventory.BeginReading();
        Assert.Equal([Warm("a")], inventory.TakeReading(Listing(Warm("a"))));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_container_being_removed_when_the_reading_began_is_not_listed_though_Docker_lists_it(bool goneFromDockerSince)
    {
        inventory.TakeFirstListing([Warm("a")]);
        inventory.EnterLeaving(Warm("a"));
        inventory.Forget(Warm("a"));

        var leavingThen = inventory.BeginReading();
        if (goneFromDockerSince)
        {
            inventory.Left("a");
        }

        Assert.Equal(["a"], leavingThen);
        Assert.Empty(inventory.TakeReading(new ContainerReading([Warm("a")], leavingThen)));
        Assert.Equal(goneFromDockerSince ? [] : [Warm("a")], inventory.Leaving);
    }

    [Fact]
    public void The_first_listing_does_not_end_a_reading_begun_before_it()
    {
        inventory.BeginReading();
        inventory.TakeFirstListing([Warm("a")]);
        var claimed = Warm("a") with { Name = "owg-alice", User = "alice", IsWarm = false };
        inventory.Replace(claimed);

        Assert.Equal([claimed], inventory.TakeReading(Listing(Warm("a"))));
    }

    [Fact]
    public void A_change_made_between_readings_is_taken_from_Docker_at_the_next_reading()
    {
        inventory.TakeFirstListing([Warm("a")]);
        inventory.BeginReading();
        inventory.TakeReading(Listing(Warm("a")));
        inventory.Replace(Warm("a") with { Running = false });

        inventory.BeginReading();

        Assert.Equal([Warm("a")], inventory.TakeReading(Listing(Warm("a"))));
    }

    [Fact]
    public void A_list_is_a_copy_the_caller_may_change()
    {
        inventory.TakeFirstListing([Warm("a")]);

        inventory.List().Clear();

        Assert.Single(inventory.List());
    }
}
