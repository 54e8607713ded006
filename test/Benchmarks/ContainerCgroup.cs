using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>
/// A running container's cgroup (v2), found from its first process: the memory and CPU the kernel
/// charges to the container's processes, whatever Docker's cgroup driver names it.
/// </summary>
public sealed class ContainerCgroup(string directory)
{
    public static async Task<ContainerCgroup> OfAsync(string containerId)
    {
        var pid = (await Command.Run("docker", "inspect", "-f", "{{.State.Pid}}", containerId)).Trim();
        // "0::/docker/ID" as the host's cgroup namespace sees it.
        var path = File.ReadLines($"/proc/{pid}/cgroup").Single(line => line.StartsWith("0::", StringComparison.Ordinal))[3..];
        return new ContainerCgroup(Path.Combine("/sys/fs/cgroup", path.TrimStart('/')));
    }

    /// <summary>Its processes' memory, their page cache and the kernel's memory charged to them.</summary>
    public double MemoryMiB => long.Parse(File.ReadAllText(Path.Combine(directory, "memory.current"))) / 1024.0 / 1024.0;

    public TimeSpan CpuTime => TimeSpan.FromMicroseconds(long.Parse(
        File.ReadLines(Path.Combine(directory, "cpu.stat")).Single(line => line.StartsWith("usage_usec ", StringComparison.Ordinal))["usage_usec ".Length..]));
}
