using System.Text.Json;

namespace Nimbus.Functions.Tests.Runtime;

/// <summary>What the worker posted for one request: Kind is "response" or "error".</summary>
public sealed record PostedResult(string Kind, string Body, string? ErrorTypeHeader)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}
