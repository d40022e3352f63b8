namespace Nimbus.Core.Api;

/// <summary>A token or access key as the API lists it: never its secret.</summary>
/// <param name="Kind"><c>token</c> or <c>key</c>.</param>
/// <param name="Functions">The function name pattern the identity is limited to; null: all functions.</param>
/// <param name="CreatedBy">The id of the identity that created it (<c>bootstrap</c> for the first admin token).</param>
public sealed record IdentityInfo(
    string Id,
    string Kind,
    string Role,
    string? Functions,
    string? Description,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt);
