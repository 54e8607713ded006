using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.Kernel.Tests;

/// <summary>
/// The kernel's WireGuard, or the test does not run: skipped where the kernel has none (a host),
/// failed where it must have it (OWG_REQUIRE_KERNEL=1, which the guest sets), so a guest whose
/// module did not load never reports these tests as passed.
/// </summary>
public static class KernelWireGuardRequired
{
    private static readonly Lazy<(WireGuardNetlink? Netlink, string? Unusable)> Probe = new(WireGuardModeChoice.ProbeKernel);

    public static WireGuardNetlink Netlink()
    {
        var (netlink, unusable) = Probe.Value;
        if (netlink is not null)
        {
            return netlink;
        }

        if (Environment.GetEnvironmentVariable("OWG_REQUIRE_KERNEL") == "1")
        {
            Assert.Fail($"the kernel's WireGuard is required here: {unusable}");
        }

        Assert.Skip($"the kernel's WireGuard cannot be used here: {unusable}");
        return null!;
    }
}
