using System.Text;
using System.Text.Json;
using Nimbus.Functions.Logging;

namespace Nimbus.Functions.Tests.Logging;

public sealed class JsonLogWriterTests
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly TimeProvider s_time = new FixedTime(new DateTimeOffset(2026, 11, 22, 3, 15, 44, 123, TimeSpan.Zero));

    private static string Write(FunctionLogLevel minimum, Action<JsonLogWriter> write)
    {
        using var output = new MemoryStream();
        write(new JsonLogWriter(output, s_time, minimum));
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public void Write_ProducesOneJsonLine_WithTimeLevelRequestIdMessageAndFields()
    {
        var text = Write(FunctionLogLevel.Debug, w => w.Write(FunctionLogLevel.Info, "req-1", "line one\nline two",
            new Dictionary<string, object?> { ["orderId"] = 42, ["tags"] = new[] { "a", "b" } }));

        Assert.Equal(
            """{"time":"2026-11-22T03:15:44.123Z","level":"INFO","requestId":"req-1","message":"line one\nline two","orderId":42,"tags":["a","b"]}""" + "\n",
            text);
    }

    [Fact]
    public void Write_OmitsRequestIdOutsideAnInvocation_AndDropsReservedFieldNames()
    {
        var text = Write(FunctionLogLevel.Debug, w => w.Write(FunctionLogLevel.Error, null, "boom",
            new { Level = "hijack", Code = 7 }));

        Assert.Equal("""{"time":"2026-11-22T03:15:44.123Z","level":"ERROR","message":"boom","code":7}""" + "\n", text);
    }

    [Fact]
    public void Write_KeepsANonObjectValueUnderFields()
    {
        var record = JsonDocument.Parse(Write(FunctionLogLevel.Debug, w => w.Write(FunctionLogLevel.Info, "r", "m", 5))).RootElement;

        Assert.Equal(5, record.GetProperty("fields").GetInt32());
    }

    [Fact]
    public void Write_DropsRecordsBelowTheMinimumLevel()
    {
        var text = Write(JsonLogWriter.ParseLevel("warn"), w =>
        {
            w.Write(FunctionLogLevel.Debug, "r", "debug", null);
            w.Write(FunctionLogLevel.Info, "r", "info", null);
            w.Write(FunctionLogLevel.Warn, "r", "warn", null);
        });

        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"message\":\"warn\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, FunctionLogLevel.Info)]
    [InlineData("DEBUG", FunctionLogLevel.Debug)]
    [InlineData("warning", FunctionLogLevel.Warn)]
    [InlineData("ERROR", FunctionLogLevel.Error)]
    [InlineData("nonsense", FunctionLogLevel.Info)]
    internal void ParseLevel_ReadsLambdaLogLevelNames(string? value, FunctionLogLevel expected) =>
        Assert.Equal(expected, JsonLogWriter.ParseLevel(value));
}
