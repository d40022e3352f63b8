namespace Nimbus.Core.Api;

/// <summary>One management action, allowed or denied.</summary>
/// <param name="IdentityId">The token or key id, or null when the caller did not authenticate.</param>
/// <param name="Action">The permission exercised (<c>function:deploy</c>) or <c>authenticate</c>.</param>
/// <param name="Target">What it was done to: the request's method and path (<c>PUT /api/v1/functions/orders</c>).</param>
/// <param name="Function">The function the request named, if any.</param>
/// <param name="Outcome"><c>allowed</c>, <c>denied</c> (403) or <c>unauthenticated</c> (401, 429).</param>
/// <param name="Status">The HTTP status answered.</param>
public sealed record AuditRecord(
    long Id,
    DateTimeOffset Time,
    string? IdentityId,
    string? Role,
    string Action,
    string Target,
    string? Function,
    string Source,
    string Outcome,
    int Status,
    string? Detail);
