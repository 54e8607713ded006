using Microsoft.Extensions.Configuration;

namespace OrleansWg.NodeHost.Tests;

public sealed class NodeOwnerTests : IDisposable
{
    private readonly DirectoryInfo state = Directory.CreateTempSubdirectory("owg-node-owner-");

    public void Dispose() => state.Delete(recursive: true);

    [Fact]
    public void A_node_belongs_to_its_cluster_id_and_server_id_and_labels_what_it_makes_with_both()
    {
        var owner = NodeOwner.From(Settings(("Cluster:ClusterId", "owg-a"), ("Node:ServerId", "node-1")));

        Assert.Equal(new NodeOwner("owg-a", "node-1"), owner);
        Assert.Equal("owg-a.node-1", owner.Key);
        Assert.Equal(new Dictionary<string, string> { ["owg.installation"] = "owg-a", ["owg.node"] = "node-1" }, owner.Labels());
    }

    [Theory]
    [InlineData("owg.a", "node-1")]
    [InlineData("owg", "node.1")]
    [InlineData("OWG", "node-1")]
    [InlineData("owg", "")]
    public void A_cluster_id_or_server_id_that_could_make_two_owners_one_name_is_refused(string clusterId, string serverId) =>
        Assert.Throws<InvalidOperationException>(() => NodeOwner.From(Settings(("Cluster:ClusterId", clusterId), ("Node:ServerId", serverId))));

    [Fact]
    public void A_state_directory_is_claimed_by_the_first_installation_and_refused_to_another_with_a_node_of_the_same_id()
    {
        new NodeOwner("owg-a", "node-1").ClaimStateDirectory(state.FullName);
        new NodeOwner("owg-a", "node-1").ClaimStateDirectory(state.FullName);
        new NodeOwner("owg-b", "node-2").ClaimStateDirectory(state.FullName);

        var refused = Assert.Throws<InvalidOperationException>(() => new NodeOwner("owg-b", "node-1").ClaimStateDirectory(state.FullName));
        Assert.Contains("Node:StateDirectory", refused.Message);
    }

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
