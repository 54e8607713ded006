using OrleansWg.NodeHost.Docker;

namespace OrleansWg.NodeHost.Tests;

public sealed class ContainerNamesTests
{
    private readonly ContainerNames names = new(new NodeOwner("owg", "node-1"));

    [Fact]
    public void A_users_container_name_gives_the_user_back() =>
        Assert.Equal("alice", names.UserOf(names.ForUser("alice")));

    [Fact]
    public void A_warm_container_has_no_user_and_another_nodes_container_is_not_ours()
    {
        var warm = names.ForWarm();

        Assert.True(names.IsWarm(warm));
        Assert.Null(names.UserOf(warm));
        Assert.Null(names.UserOf(new ContainerNames(new NodeOwner("owg", "node-2")).ForUser("alice")));
        Assert.Equal("owg.node-1", names.Network);
    }

    [Fact]
    public void Another_installations_node_of_the_same_server_id_names_its_containers_and_network_apart()
    {
        var other = new ContainerNames(new NodeOwner("owg-b", "node-1"));

        Assert.Null(names.UserOf(other.ForUser("alice")));
        Assert.False(names.IsWarm(other.ForWarm()));
        Assert.NotEqual(names.Network, other.Network);
    }
}
