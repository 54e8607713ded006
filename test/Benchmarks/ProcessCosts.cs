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
    public static Dictionary<string, TimeSpan> CpuTimesByName()
    {
        var byName = new Dictionary<string, TimeSpan>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                // Its own time only: its ended children's are counted under their own names.
                byName[name] = byName.GetValueOrDefault(name) + Ticks(FieldsAfterName(stat)[11..13]);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException or FormatException)
            {
                // Not a process, or one that ended while it was read.
            }
        }

        return byName;
    }

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

    /// <summary>Resident memory of a process in MiB, from /proc/PID/status; zero for a process that is gone.</summary>
    public static double ResidentMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException)
        {
            return 0;
        }
    }
}
