namespace OrleansWg.Benchmarks;

public static class Report
{
    /// <summary>One figure of a run, aligned with the others.</summary>
    public static void Ratio(string name, double value, string unit) => Console.WriteLine($"{name,-66} {value,8:F2} {unit}");
}
