namespace OrleansWg.Integration.Tests;

/// <summary>With an OTLP endpoint set, every process exports its spans, and a connect is one trace across them.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task A_connect_is_one_trace_from_the_Gateway_through_the_grains_and_their_database_commands_to_the_nodes_peer()
    {
        await using var receiver = OtlpReceiver.Start();
        await using var plane = await ControlPlane.StartAsync(receiver.Settings);
        await plane.CreateUser("traced");
        await plane.ConnectOk("traced");
        await plane.ConnectOk("traced");

        var connectTraces = Array.Empty<ReceivedSpan[]>();
        await plane.WaitFor(() =>
        {
            connectTraces = [.. receiver.Spans.Where(span => span is { Name: "POST /v1/connect", ParentSpanId: null })
                .Select(root => receiver.Spans.Where(span => span.TraceId == root.TraceId).ToArray())
                .Where(trace => trace.Any(span => span.Name == "uapi set"))];
            return Task.FromResult(connectTraces.Length == 2);
        }, "the two connects' traces, each down to the node's peer");

        Assert.All(connectTraces, trace =>
        {
            Assert.Equal(["orleanswg-gateway", "orleanswg-node", "orleanswg-silo"], trace.Select(span => span.Service).Distinct().Order());
            Assert.Contains(trace, span => span.Name == "verify password");
            Assert.Contains(trace, span => span is { Scope: "Npgsql" });
            Assert.Contains(trace, span => span.Name.StartsWith("converge change", StringComparison.Ordinal));
            // One tree: every span's parent is in the trace, so nothing was cut off between processes.
            Assert.All(trace.Where(span => span.ParentSpanId is not null), span => Assert.Contains(trace, parent => parent.SpanId == span.ParentSpanId));
        });
    }
}
