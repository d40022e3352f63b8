namespace Nimbus.Core.Api;

/// <summary>Body of <c>PUT /api/v1/functions/{name}/provisioned-concurrency/{qualifier}</c>.</summary>
public sealed record ProvisionedConcurrencyRequest(int Count);
