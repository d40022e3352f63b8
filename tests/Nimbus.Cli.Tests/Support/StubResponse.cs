namespace Nimbus.Cli.Tests.Support;

/// <param name="Bytes">A binary body, sent as it is instead of <paramref name="Body"/>.</param>
internal sealed record StubResponse(int Status, string? Body, IReadOnlyDictionary<string, string>? Headers = null, string ContentType = "application/json", byte[]? Bytes = null);
