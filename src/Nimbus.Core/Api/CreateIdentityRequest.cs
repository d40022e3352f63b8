namespace Nimbus.Core.Api;

/// <summary>Body of <c>POST /api/v1/tokens</c> and <c>POST /api/v1/keys</c>.</summary>
/// <param name="Role">admin, deployer, operator, viewer or invoker.</param>
/// <param name="Functions">Optional function name pattern (<c>orders*</c>) the identity is limited to.</param>
public sealed record CreateIdentityRequest(string? Role, string? Functions = null, string? Description = null);
