namespace Nimbus.Cli.Tests.Support;

internal sealed record StubResponse(int Status, string? Body, IReadOnlyDictionary<string, string>? Headers = null, string ContentType = "application/json");
