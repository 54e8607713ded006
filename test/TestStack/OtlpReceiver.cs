using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;

namespace OrleansWg.TestStack;

/// <summary>One span as a process exported it.</summary>
/// <param name="Service">The exporting process's <c>service.name</c>.</param>
public sealed record ReceivedSpan(string Service, string Scope, string TraceId, string SpanId, string? ParentSpanId, string Name,
    DateTimeOffset Start, TimeSpan Duration, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// An OTLP/HTTP trace receiver on loopback (<c>POST /v1/traces</c>, protobuf), for tests and the
/// bench to see the spans that the processes export. It reads the fields of the OTLP trace messages
/// it needs with Google.Protobuf's wire-format reader, by their numbers in opentelemetry-proto.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> spans = new();
    private readonly Task serving;

    private OtlpReceiver(int port)
    {
        Endpoint = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(Endpoint + "/");
        listener.Start();
        serving = ServeAsync();
    }

    /// <summary>The URL to give processes as OTEL_EXPORTER_OTLP_ENDPOINT (with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf).</summary>
    public string Endpoint { get; }

    /// <summary>What a process needs to export its traces here, at once rather than every 5 s.</summary>
    public Dictionary<string, string> Settings => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
    };

    public IReadOnlyList<ReceivedSpan> Spans => [.. spans];

    public static OtlpReceiver Start() => new(FreePort.Next());

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                foreach (var span in ReadRequest(body.ToArray()))
                {
                    spans.Enqueue(span);
                }
            }

            // An empty ExportTraceServiceResponse: everything was taken.
            context.Response.ContentType = "application/x-protobuf";
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    /// <summary>ExportTraceServiceRequest: 1 resource_spans.</summary>
    private static IEnumerable<ReceivedSpan> ReadRequest(byte[] request) =>
        Fields(request).Where(f => f.Number == 1).SelectMany(f => ReadResourceSpans(f.Bytes));

    /// <summary>ResourceSpans: 1 resource (1 attributes), 2 scope_spans.</summary>
    private static IEnumerable<ReceivedSpan> ReadResourceSpans(byte[] resourceSpans)
    {
        var fields = Fields(resourceSpans).ToList();
        var resource = fields.Where(f => f.Number == 1).SelectMany(f => Attributes(f.Bytes, 1)).ToDictionary();
        var service = resource.GetValueOrDefault("service.name", "");
        return fields.Where(f => f.Number == 2).SelectMany(f => ReadScopeSpans(service, f.Bytes));
    }

    /// <summary>ScopeSpans: 1 scope (1 name), 2 spans.</summary>
    private static IEnumerable<ReceivedSpan> ReadScopeSpans(string service, byte[] scopeSpans)
    {
        var fields = Fields(scopeSpans).ToList();
        var scope = fields.Where(f => f.Number == 1).SelectMany(f => Fields(f.Bytes)).FirstOrDefault(f => f.Number == 1)?.Text ?? "";
        return fields.Where(f => f.Number == 2).Select(f => ReadSpan(service, scope, f.Bytes));
    }

    /// <summary>Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 7 start and 8 end (fixed64 ns since 1970), 9 attributes.</summary>
    private static ReceivedSpan ReadSpan(string service, string scope, byte[] span)
    {
        var fields = Fields(span).ToList();
        string Hex(int number) => fields.FirstOrDefault(f => f.Number == number) is { Bytes.Length: > 0 } field ? Convert.ToHexStringLower(field.Bytes) : "";
        ulong Fixed(int number) => fields.First(f => f.Number == number).Fixed;
        var start = Fixed(7);
        var parent = Hex(4);
        return new ReceivedSpan(service, scope, Hex(1), Hex(2), parent.Length > 0 ? parent : null,
            fields.First(f => f.Number == 5).Text, DateTimeOffset.UnixEpoch.AddTicks((long)(start / 100)),
            TimeSpan.FromTicks((long)((Fixed(8) - start) / 100)), Attributes(span, 9).ToDictionary());
    }

    /// <summary>The KeyValue fields numbered <paramref name="number"/> (1 key, 2 value: an AnyValue), as text.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Attributes(byte[] message, int number) =>
        Fields(message).Where(f => f.Number == number).Select(f =>
        {
            var pair = Fields(f.Bytes).ToList();
            var value = pair.FirstOrDefault(p => p.Number == 2) is { } any ? AnyValueText(any.Bytes) : "";
            return KeyValuePair.Create(pair.First(p => p.Number == 1).Text, value);
        });

    /// <summary>AnyValue: 1 string, 2 bool, 3 int64, 4 double; others as empty text.</summary>
    private static string AnyValueText(byte[] anyValue) => Fields(anyValue).FirstOrDefault() is { } value
        ? value.Number switch
        {
            1 => value.Text,
            2 or 3 => $"{value.Varint}",
            4 => $"{BitConverter.UInt64BitsToDouble(value.Fixed)}",
            _ => "",
        }
        : "";

    private sealed record Field(int Number, byte[] Bytes, ulong Varint, ulong Fixed)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Bytes);
    }

    /// <summary>The top-level fields of a protobuf message: length-delimited as bytes, varints and fixed64 as numbers.</summary>
    private static IEnumerable<Field> Fields(byte[] message)
    {
        var input = new CodedInputStream(message);
        var fields = new List<Field>();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            fields.Add(WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.LengthDelimited => new Field(number, input.ReadBytes().ToByteArray(), 0, 0),
                WireFormat.WireType.Varint => new Field(number, [], input.ReadUInt64(), 0),
                WireFormat.WireType.Fixed64 => new Field(number, [], 0, input.ReadFixed64()),
                WireFormat.WireType.Fixed32 => new Field(number, [], 0, input.ReadFixed32()),
                _ => Skip(input, number),
            });
        }

        return fields;
    }

    private static Field Skip(CodedInputStream input, int number)
    {
        input.SkipLastField();
        return new Field(number, [], 0, 0);
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await serving;
    }
}
