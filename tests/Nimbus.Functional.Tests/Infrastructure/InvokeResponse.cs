using System.Net;
using System.Text.Json;

namespace Nimbus.Functional.Tests.Infrastructure;

/// <summary>What a test sees of one invocation through the native invoke endpoint.</summary>
public sealed record InvokeResponse(HttpStatusCode Status, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? RequestId => Headers.GetValueOrDefault("X-Nimbus-Request-Id");
    public string? ExecutedVersion => Headers.GetValueOrDefault("X-Nimbus-Executed-Version");
    public bool ColdStart => Headers.GetValueOrDefault("X-Nimbus-Cold-Start") == "true";
    public string? FunctionError => Headers.GetValueOrDefault("X-Nimbus-Function-Error");

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? ErrorType => FunctionError is null ? null : Json.GetProperty("errorType").GetString();
    public string? ErrorMessage => FunctionError is null ? null : Json.GetProperty("errorMessage").GetString();

    public override string ToString() => $"{(int)Status} {string.Join(", ", Headers.Where(h => h.Key.StartsWith("X-Nimbus", StringComparison.Ordinal)).Select(h => h.Key + "=" + h.Value))} {Body}";
}
