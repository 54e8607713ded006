using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.NodeHost.Tests;

public sealed class WireGuardModeChoiceTests
{
    [Theory]
    [InlineData(WireGuardMode.Auto, null, WireGuardMode.Kernel)]
    [InlineData(WireGuardMode.Auto, "the kernel has no WireGuard", WireGuardMode.Userspace)]
    [InlineData(WireGuardMode.Kernel, null, WireGuardMode.Kernel)]
    [InlineData(WireGuardMode.Userspace, null, WireGuardMode.Userspace)]
    [InlineData(WireGuardMode.Userspace, "the kernel has no WireGuard", WireGuardMode.Userspace)]
    public void The_node_runs_the_kernels_WireGuard_where_it_can_unless_told_otherwise(WireGuardMode setting, string? kernelUnusable, WireGuardMode chosen) =>
        Assert.Equal(chosen, WireGuardModeChoice.Choose(setting, kernelUnusable));

    [Fact]
    public void A_node_told_to_use_the_kernel_where_it_cannot_does_not_start_and_says_why() =>
        Assert.Contains("no WireGuard module here",
            Assert.Throws<InvalidOperationException>(() => WireGuardModeChoice.Choose(WireGuardMode.Kernel, "no WireGuard module here")).Message);

    [Fact]
    public void The_probe_of_this_kernel_gives_its_WireGuard_or_why_it_cannot_be_used_never_both()
    {
        var (netlink, unusable) = WireGuardModeChoice.ProbeKernel();

        Assert.True(netlink is null != unusable is null, unusable);
    }
}
