using System.Diagnostics;
using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>What processes cost, read from /proc: CPU time and resident memory.</summary>
public static class ProcessCosts
{
    /// <summary>CPU time so far of each process of the plane, of every PostgreSQL process, and of this load generator.</summary>
    public static Dictionary<string, TimeSpan> CpuTimes(ControlPlane plane)
    {
        var times = plane.Processes.ToDictionary(p => p.Name, p => CpuTime(p.Id));
        times["PostgreSQL (all its processes)"] = PostgresCpuTime();
        times["load generator (this process)"] = Process.GetCurrentProcess().TotalProcessorTime;
        return times;
    }

    /// <summary>CPU time so far of every PostgreSQL process on the machine.</summary>
    public static TimeSpan PostgresCpuTime() => PostgresProcesses().Aggregate(TimeSpan.Zero, (sum, pid) => sum + CpuTime(pid));

    /// <summary>Every PostgreSQL process on the machine.</summary>
    public static IEnumerable<int> PostgresProcesses() =>
        // Its backends name themselves "postgres: ...", which is the name .NET reads.
        Process.GetProcesses().Where(p => p.ProcessName.StartsWith("postgres", StringComparison.Ordinal)).Select(p => p.Id);

    /// <summary>
    /// User and system time from /proc/PID/stat, its own and its ended children's (a PostgreSQL
    /// backend that ends leaves its time to the postmaster), in clock ticks of 10 ms; zero for a process that is gone.
    /// </summary>
    public static TimeSpan CpuTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return Ticks(FieldsAfterName(stat)[11..15]);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>CPU time so far of the machine's processes (kernel threads too), summed by process name.</summary>
    public static Dictionary<string, TimeSpan> CpuTimesByName() =>
        SumByName(OwnCpuSeconds, others: false).ToDictionary(process => process.Key, process => TimeSpan.FromSeconds(process.Value));

    /// <summary>
    /// A process's own CPU time so far in seconds, without its ended children's (they are counted
    /// under their own names); zero for a process that is gone.
    /// </summary>
    public static double OwnCpuSeconds(int pid)
    {
        try
        {
            return Ticks(FieldsAfterName(File.ReadAllText($"/proc/{pid}/stat"))[11..13]).TotalSeconds;
        }
        catch (Exception exception) when (exception is IOException or ArgumentOutOfRangeException or FormatException)
        {
            // A process that ended while it was read.
            return 0;
        }
    }

    /// <summary>The processes (by name) that took the most CPU since <paramref name="before"/>, each as a share of <paramref name="machineTotal"/>.</summary>
    public static List<(string Name, double Share)> BusiestSince(Dictionary<string, TimeSpan> before, TimeSpan machineTotal, int count) =>
        [.. CpuTimesByName().Select(process => (process.Key, Share: (process.Value - before.GetValueOrDefault(process.Key)) / machineTotal))
            .OrderByDescending(process => process.Share).Take(count)];

    /// <summary>The fields of a /proc/PID/stat line after the process name, which may itself hold spaces and parentheses.</summary>
    public static string[] FieldsAfterName(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

    /// <summary>A sum of clock ticks of 10 ms.</summary>
    private static TimeSpan Ticks(IEnumerable<string> fields) => TimeSpan.FromMilliseconds(fields.Sum(long.Parse) * 10);

    /// <summary>The machine's CPU time so far, busy and in all, from /proc/stat (idle and I/O wait are not busy).</summary>
    public static (TimeSpan Busy, TimeSpan Total) MachineCpuTime()
    {
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(long.Parse).ToArray();
        var total = ticks.Sum();
        return (TimeSpan.FromMilliseconds((total - ticks[3] - ticks[4]) * 10), TimeSpan.FromMilliseconds(total * 10));
    }

    /// <summary>The share of all the machine's cores busy over <paramref name="window"/>, 0 to 1.</summary>
    public static async Task<double> MachineBusyOver(TimeSpan window)
    {
        var before = MachineCpuTime();
        await Task.Delay(window);
        var after = MachineCpuTime();
        return (after.Busy - before.Busy) / (after.Total - before.Total);
    }

    /// <summary>
    /// Waits (<paramref name="within"/> at most) until the machine's load stops falling from one
    /// <paramref name="window"/> to the next: the kernel tears down the network namespaces of removed
    /// containers long after dockerd has removed them, and a measure must take its containers, not that.
    /// </summary>
    public static async Task MachineSettledAsync(TimeSpan window, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        var busy = await MachineBusyOver(window);
        for (var previous = 1.0; busy < previous - 0.01 && clock.Elapsed < within;)
        {
            (previous, busy) = (busy, await MachineBusyOver(window));
        }

        Console.WriteLine($"  the machine settled in {clock.Elapsed.TotalSeconds:F0} s, at {busy * 100:F1} % of its cores busy");
    }

    /// <summary>The machine's memory in use (total less available), in MiB.</summary>
    public static double MachineUsedMiB()
    {
        var fields = File.ReadLines("/proc/meminfo").Select(line => line.Split(':', StringSplitOptions.TrimEntries))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1].Split(' ')[0]));
        return (fields["MemTotal"] - fields["MemAvailable"]) / 1024.0;
    }

    /// <summary>A measure of every process on the machine but this one (kernel threads too), summed by process name.</summary>
    public static Dictionary<string, double> OthersByName(Func<int, double> measure) => SumByName(measure, others: true);

    private static Dictionary<string, double> SumByName(Func<int, double> measure, bool others)
    {
        var byName = new Dictionary<string, double>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || (others && pid == Environment.ProcessId))
            {
                continue;
            }

            try
            {
                var name = File.ReadAllText(Path.Combine(directory, "comm")).TrimEnd('\n');
                byName[name] = byName.GetValueOrDefault(name) + measure(pid);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A process that ended while it was read.
            }
        }

        return byName;
    }

    /// <summary>A process's threads (<c>kernel.pid_max</c> bounds the machine's); none for a process that is gone.</summary>
    public static double Threads(int pid) => Count($"/proc/{pid}/task");

    /// <summary>A process's inotify instances (<c>fs.inotify.max_user_instances</c> bounds each user's); none for a process that is gone.</summary>
    public static double InotifyInstances(int pid) => Count($"/proc/{pid}/fd", fd => new FileInfo(fd).LinkTarget == "anon_inode:inotify");

    private static int Count(string directory, Func<string, bool>? match = null)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(directory).Count(entry => match?.Invoke(entry) ?? true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>
    /// A process's share of the memory it maps, in MiB (Pss, from /proc/PID/smaps_rollup): pages it
    /// shares with others (the same program's text) count split between them, so the shares add up.
    /// Zero for a process that is gone.
    /// </summary>
    public static double ProportionalMiB(int pid) => MiBField($"/proc/{pid}/smaps_rollup", "Pss:");

    /// <summary>Resident memory of a process in MiB, from /proc/PID/status; zero for a process that is gone.</summary>
    public static double ResidentMiB(int pid) => MiBField($"/proc/{pid}/status", "VmRSS:");

    /// <summary>A field in kB of a process's file in /proc, in MiB; zero for a process that is gone.</summary>
    private static double MiBField(string path, string field)
    {
        try
        {
            var line = File.ReadLines(path).First(l => l.StartsWith(field, StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException)
        {
            return 0;
        }
    }
}
