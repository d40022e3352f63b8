namespace Nimbus.Core.Api;

/// <summary>Body of <c>POST /api/v1/functions/{name}/versions</c>.</summary>
public sealed record PublishVersionRequest(string? Description = null);
