using System.Diagnostics;

namespace OrleansWg;

/// <summary>Our own meter's and activity source's name, and the source of our own spans, in every process.</summary>
public static class Telemetry
{
    public const string Name = "OrleansWg";

    /// <summary>Spans for our steps that no library traces: a password's verify, the node's Docker and WireGuard calls.</summary>
    public static readonly ActivitySource Spans = new(Name);
}
