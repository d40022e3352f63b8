namespace Nimbus.Core.Api;

/// <summary>Body of <c>PUT /api/v1/secrets/{name}</c> and <c>POST /api/v1/secrets/{name}/rotate</c>.</summary>
public sealed record SecretValueRequest(string? Value);
