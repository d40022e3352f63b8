using System.Text.Json;
using Nimbus.Core.Logs;

namespace Nimbus.Core.Tests.Logs;

public sealed class LogLineParserTests
{
    private const string RequestId = "8f5a1c2e-3b4d-4e6f-9a0b-1c2d3e4f5a6b";
    private static readonly DateTimeOffset s_time = new(2026, 11, 22, 3, 15, 44, 123, TimeSpan.Zero);

    [Fact]
    public void NodeFormat_GivesTimeRequestIdLevelAndMessage()
    {
        var parsed = LogLineParser.Parse($"2026-11-22T03:15:44.123Z\t{RequestId}\tWARN\tdisk almost full");

        Assert.Equal(new ParsedLogLine("WARN", RequestId, "disk almost full", null, s_time), parsed);
    }

    [Fact]
    public void NodeFormat_TurnsCarriageReturnsBackIntoNewlines_AndKeepsTabsInTheMessage()
    {
        var parsed = LogLineParser.Parse($"2026-11-22T03:15:44.123Z\t{RequestId}\tERROR\tInvoke Error \t{{\"a\":1}}\rat x\n");

        Assert.Equal("ERROR", parsed.Level);
        Assert.Equal("Invoke Error \t{\"a\":1}\nat x", parsed.Message);
    }

    [Fact]
    public void NodeFormat_OutsideAnInvocation_HasNoRequestId()
    {
        var parsed = LogLineParser.Parse("2026-11-22T03:15:44.123Z\tundefined\tINFO\tloading config");

        Assert.Null(parsed.RequestId);
        Assert.Equal(("INFO", "loading config"), (parsed.Level, parsed.Message));
    }

    [Fact]
    public void NodeFormat_WithEmptyMessage()
    {
        var parsed = LogLineParser.Parse($"2026-11-22T03:15:44.123Z\t{RequestId}\tINFO\t");

        Assert.Equal(("INFO", RequestId, ""), (parsed.Level, parsed.RequestId, parsed.Message));
    }

    [Fact]
    public void DotnetLambdaFormat_LowercaseLevelNames_AreRecognised()
    {
        var parsed = LogLineParser.Parse($"2026-11-22T03:15:44.123Z\t{RequestId}\tfail\tpayment failed");

        Assert.Equal(("ERROR", RequestId), (parsed.Level, parsed.RequestId));
    }

    [Fact]
    public void PythonFormat_GivesLevelTimeRequestIdAndMessage()
    {
        var parsed = LogLineParser.Parse($"[WARNING]\t2026-11-22T03:15:44.123Z\t{RequestId}\tretrying\rsecond line");

        Assert.Equal(new ParsedLogLine("WARN", RequestId, "retrying\nsecond line", null, s_time), parsed);
    }

    [Fact]
    public void PythonFormat_CriticalIsFatal_AndAnEmptyRequestIdIsNone()
    {
        var parsed = LogLineParser.Parse("[CRITICAL]\t2026-11-22T03:15:44.123Z\t\tdatabase gone");

        Assert.Equal(("FATAL", null, "database gone"), (parsed.Level, parsed.RequestId, parsed.Message));
    }

    [Fact]
    public void BracketedLevelWithSpace_GivesLevelAndMessage()
    {
        var parsed = LogLineParser.Parse("[ERROR] Runtime.ImportModuleError: Unable to import module 'app'");

        Assert.Equal(new ParsedLogLine("ERROR", null, "Runtime.ImportModuleError: Unable to import module 'app'", null, null),
            parsed);
    }

    [Fact]
    public void JsonLine_TakesKnownKeys_AndKeepsTheRestAsFields()
    {
        var parsed = LogLineParser.Parse(
            $$"""{"time":"2026-11-22T03:15:44.123Z","level":"ERROR","requestId":"{{RequestId}}","message":"charge failed","orderId":"o-1","amount":12.5,"tags":["a"]}""");

        Assert.Equal(("ERROR", RequestId, "charge failed", s_time), (parsed.Level, parsed.RequestId, parsed.Message, parsed.Time));
        Assert.Equal("""{"orderId":"o-1","amount":12.5,"tags":["a"]}""", parsed.FieldsJson);
    }

    [Fact]
    public void JsonLine_AlternativeKeyNames_FromPythonAndLambdaJsonFormats()
    {
        var parsed = LogLineParser.Parse(
            $$"""{"timestamp":"2026-11-22T03:15:44.123Z","levelname":"warning","AWSRequestId":"{{RequestId}}","msg":"slow","é":"ü"}""");

        Assert.Equal(new ParsedLogLine("WARN", RequestId, "slow", """{"é":"ü"}""", s_time), parsed);
    }

    [Fact]
    public void JsonLine_PinoNumericLevelAndEpochMilliseconds()
    {
        var parsed = LogLineParser.Parse(
            $$"""{"level":50,"time":{{s_time.ToUnixTimeMilliseconds()}},"pid":7,"hostname":"h","msg":"boom"}""");

        Assert.Equal(("ERROR", "boom", s_time), (parsed.Level, parsed.Message, parsed.Time));
        Assert.Equal("""{"pid":7,"hostname":"h"}""", parsed.FieldsJson);
    }

    [Fact]
    public void JsonLine_WithoutLevelOrMessage_IsInfoWithTheLineAsMessage()
    {
        const string line = """{"event":"checkout","items":3}""";

        var parsed = LogLineParser.Parse(line);

        Assert.Equal(new ParsedLogLine("INFO", null, line, line, null), parsed);
    }

    [Fact]
    public void JsonLine_UnreadableKnownKeys_StayFields()
    {
        var parsed = LogLineParser.Parse("""{"level":"loud","time":"yesterday","message":{"nested":true}}""");

        Assert.Equal(("INFO", """{"nested":true}""", null), (parsed.Level, parsed.Message, parsed.Time));
        using var fields = JsonDocument.Parse(parsed.FieldsJson!);
        Assert.Equal("loud", fields.RootElement.GetProperty("level").GetString());
        Assert.Equal("yesterday", fields.RootElement.GetProperty("time").GetString());
    }

    [Fact]
    public void JsonLine_KeepsMessageNewlinesAsEncoded()
    {
        var parsed = LogLineParser.Parse("""{"level":"info","message":"a\nb"}""");

        Assert.Equal("a\nb", parsed.Message);
        Assert.Null(parsed.FieldsJson);
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("{not json}")]
    [InlineData("[1, 2, 3]")]
    [InlineData("[]")]
    [InlineData("2026-11-22 something\twith\ttabs but\tno level")]
    [InlineData("")]
    [InlineData("Error: something failed")]
    public void UnstructuredLines_AreInfoWithTheLineAsMessage(string line)
    {
        Assert.Equal(new ParsedLogLine("INFO", null, line, null, null), LogLineParser.Parse(line));
    }

    [Fact]
    public void UnstructuredLine_CarriageReturnsBecomeNewlines_AndTheLineEndIsDropped()
    {
        Assert.Equal("a\nb", LogLineParser.Parse("a\rb\r\n").Message);
    }

    [Fact]
    public void TwoJsonObjectsOnOneLine_AreUnstructured()
    {
        Assert.Equal(new ParsedLogLine("INFO", null, """{"a":1} {"b":2}""", null, null),
            LogLineParser.Parse("""{"a":1} {"b":2}"""));
    }

    [Theory]
    [InlineData("information", "INFO")]
    [InlineData("Warning", "WARN")]
    [InlineData("trce", "TRACE")]
    [InlineData("crit", "FATAL")]
    [InlineData("loud", null)]
    [InlineData("", null)]
    [InlineData("averyveryverylonglevelname", null)]
    public void LogLevels_Normalize(string name, string? expected) => Assert.Equal(expected, LogLevels.Normalize(name));
}
