using System.Net;
using System.Text.Json;

namespace Nimbus.Functional.Tests.Infrastructure;

/// <summary>What a test sees of one call to Lambda's invoke API.</summary>
public sealed record LambdaResponse(HttpStatusCode Status, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public string? ErrorType => Header("x-amzn-ErrorType");

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public override string ToString() =>
        $"{(int)Status} {string.Join(", ", Headers.Where(h => h.Key.StartsWith("X-Amz", StringComparison.OrdinalIgnoreCase)).Select(h => h.Key + "=" + h.Value))} {Body}";
}
