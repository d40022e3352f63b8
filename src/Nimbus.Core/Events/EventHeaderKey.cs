namespace Nimbus.Core.Events;

/// <summary>
/// The one request header an async event keeps: the <c>header:NAME</c> idempotency key of its function, read at
/// acceptance (an event keeps no other headers), so each attempt is keyed as the sync call with that header would be.
/// </summary>
public sealed record EventHeaderKey(string Name, string Value)
{
    /// <summary>Looks the kept header up by name, case-insensitively, as request headers are; null for any other name.</summary>
    public string? Lookup(string name) => string.Equals(name, Name, StringComparison.OrdinalIgnoreCase) ? Value : null;
}
