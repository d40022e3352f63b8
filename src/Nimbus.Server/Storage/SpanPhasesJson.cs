using System.Buffers;
using System.Text;
using System.Text.Json;
using Nimbus.Core.Tracing;

namespace Nimbus.Server.Storage;

/// <summary>
/// An invocation span's folded phases as stored in its row: <c>[[name, start µs, duration ms, error], …]</c>. Written
/// and read only here; a row written before phases were folded has none (its phases are rows of their own).
/// </summary>
internal static class SpanPhasesJson
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public static string? Serialize(IReadOnlyList<SpanPhase>? phases)
    {
        if (phases is not { Count: > 0 })
        {
            return null;
        }

        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var phase in phases)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(phase.Name);
                writer.WriteNumberValue(Micros(phase.Start));
                writer.WriteNumberValue(phase.DurationMs);
                writer.WriteNumberValue(phase.Error ? 1 : 0);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The phases of a stored row; none when the text is absent or not what <see cref="Serialize"/> writes.</summary>
    public static IReadOnlyList<SpanPhase>? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var phases = new List<SpanPhase>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                phases.Add(new SpanPhase(item[0].GetString() ?? "", DateTimeOffset.UnixEpoch.AddTicks(item[1].GetInt64() * 10), item[2].GetDouble(),
                    item[3].GetInt32() != 0));
            }

            return phases;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            return null; // one damaged row shows its invocation without phases rather than failing the trace
        }
    }

    private static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
