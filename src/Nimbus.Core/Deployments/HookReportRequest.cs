namespace Nimbus.Core.Deployments;

/// <summary>The body of <c>PUT /api/v1/deployments/{id}/hooks/{hookExecutionId}</c>: <c>{"status": "Succeeded"}</c> or <c>"Failed"</c>.</summary>
public sealed record HookReportRequest(string? Status);
