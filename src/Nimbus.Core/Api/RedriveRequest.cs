namespace Nimbus.Core.Api;

/// <summary>Body of <c>POST /api/v1/functions/{name}/dlq/redrive</c>: one dead letter by id, or all of them.</summary>
public sealed record RedriveRequest(string? Id, bool All);
