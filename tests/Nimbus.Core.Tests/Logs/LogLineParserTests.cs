using System.Text.Json;
using Nimbus.Core.Logs;

namespace Nimbus.Core.Tests.Logs;

public sealed class LogLineParserTests
{
    private const string RequestId = "8f5a1c2e-3b4d-4e6f-9a0b-1c2d3e4f5a6b";
    private static readonly DateTimeOffset s_time = new(2026, 11, 22, 3, 15, 44, 123, TimeSpan.Zero);

    /// <summary>A line as Lambda's Node and .NET runtime clients write it: time, request id, level, message.</summary>
    private static string Tabbed(string level, string message) => $"2026-11-22T03:15:44.123Z\t{RequestId}\t{level}\t{message}";

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
    public void NodeFormat_JsonMessage_GivesItsFields_AndItsOwnMessage()
    {
        var parsed = LogLineParser.Parse(Tabbed("INFO", """{"msg":"order placed","orderId":42,"items":["a"]}"""));

        Assert.Equal(new ParsedLogLine("INFO", RequestId, "order placed", """{"orderId":42,"items":["a"]}""", s_time), parsed);
    }

    [Fact]
    public void NodeFormat_JsonMessageWithItsOwnLevel_TakesThatLevel_ButThePrefixRequestIdAndTime()
    {
        var parsed = LogLineParser.Parse(
            Tabbed("INFO", """{"level":"error","requestId":"other","time":"2020-01-01T00:00:00Z","message":"charge failed"}"""));

        Assert.Equal(("ERROR", RequestId, "charge failed", s_time), (parsed.Level, parsed.RequestId, parsed.Message, parsed.Time));
    }

    [Fact]
    public void NodeFormat_JsonMessageWithoutAMessageKey_KeepsTheObjectAsTheMessage()
    {
        var parsed = LogLineParser.Parse(Tabbed("WARN", """{"event":"retry","attempt":2}"""));

        Assert.Equal(new ParsedLogLine("WARN", RequestId, """{"event":"retry","attempt":2}""", """{"event":"retry","attempt":2}""", s_time), parsed);
    }

    [Fact]
    public void NodeFormat_PrettyPrintedJsonMessage_IsReadAcrossItsLines()
    {
        var parsed = LogLineParser.Parse($"2026-11-22T03:15:44.123Z\t{RequestId}\tINFO\t{{\r  \"orderId\": 42\r}}");

        Assert.Equal(("INFO", "{\n  \"orderId\": 42\n}", """{"orderId":42}"""), (parsed.Level, parsed.Message, parsed.FieldsJson));
    }

    [Fact]
    public void NodeFormat_MessageThatOnlyLooksLikeJson_StaysText()
    {
        var parsed = LogLineParser.Parse($"2026-11-22T03:15:44.123Z\t{RequestId}\tINFO\t{{not json}}");

        Assert.Equal(new ParsedLogLine("INFO", RequestId, "{not json}", null, s_time), parsed);
    }

    [Fact]
    public void DotnetLambdaFormat_JsonMessage_GivesItsFields()
    {
        var parsed = LogLineParser.Parse(Tabbed("info", """{"Message":"stored","Key":"k1"}"""));

        Assert.Equal(new ParsedLogLine("INFO", RequestId, "stored", """{"Key":"k1"}""", s_time), parsed);
    }

    [Fact]
    public void PythonFormat_JsonMessage_GivesItsFields()
    {
        var parsed = LogLineParser.Parse("[INFO]\t2026-11-22T03:15:44.123Z\t" + RequestId + "\t" + """{"message": "done", "count": 3}""");

        Assert.Equal(new ParsedLogLine("INFO", RequestId, "done", """{"count":3}""", s_time), parsed);
    }

    [Fact]
    public void LambdaJsonFormat_NodeObjectMessage_GivesItsKeysAsFields()
    {
        var parsed = LogLineParser.Parse(
            $$$"""{"timestamp":"2026-11-22T03:15:44.123Z","level":"INFO","requestId":"{{{RequestId}}}","message":{"orderId":42,"status":"paid"}}""");

        Assert.Equal(new ParsedLogLine("INFO", RequestId, """{"orderId":42,"status":"paid"}""", """{"orderId":42,"status":"paid"}""", s_time), parsed);
    }

    [Fact]
    public void LambdaJsonFormat_NodeError_IsTypeAndMessage_WithTheStackAsAField()
    {
        var parsed = LogLineParser.Parse(
            $$$"""{"timestamp":"2026-11-22T03:15:44.123Z","level":"ERROR","requestId":"{{{RequestId}}}","message":{"errorType":"TypeError","errorMessage":"x is undefined","stackTrace":["TypeError: x is undefined","    at handler (/var/task/index.js:3:9)"]}}""");

        Assert.Equal(("ERROR", RequestId, "TypeError: x is undefined", s_time), (parsed.Level, parsed.RequestId, parsed.Message, parsed.Time));
        using var fields = JsonDocument.Parse(parsed.FieldsJson!);
        Assert.Equal("TypeError", fields.RootElement.GetProperty("errorType").GetString());
        Assert.Equal(2, fields.RootElement.GetProperty("stackTrace").GetArrayLength());
    }

    [Fact]
    public void LambdaJsonFormat_PythonRecord_GivesLoggerAsAField()
    {
        var parsed = LogLineParser.Parse(
            $$"""{"timestamp": "2026-11-22T03:15:44.123Z", "level": "WARNING", "message": "slow call", "logger": "root", "requestId": "{{RequestId}}"}""");

        Assert.Equal(new ParsedLogLine("WARN", RequestId, "slow call", """{"logger":"root"}""", s_time), parsed);
    }

    [Fact]
    public void LambdaJsonFormat_PythonUncaughtError_IsTypeAndMessage()
    {
        var parsed = LogLineParser.Parse(
            $$"""{"timestamp": "2026-11-22T03:15:44.123Z", "log_level": "ERROR", "errorMessage": "boom", "errorType": "ValueError", "requestId": "{{RequestId}}", "stackTrace": ["  File /var/task/app.py, line 2, in handler"]}""");

        Assert.Equal(("ERROR", RequestId, "ValueError: boom"), (parsed.Level, parsed.RequestId, parsed.Message));
        using var fields = JsonDocument.Parse(parsed.FieldsJson!);
        Assert.Equal("boom", fields.RootElement.GetProperty("errorMessage").GetString());
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
