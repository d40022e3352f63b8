using Nimbus.Core.Deployments.Shadow;

namespace Nimbus.Server.Deployments.Shadow;

/// <summary>A live call to run again on the new version: its payload and what the live version answered.</summary>
public sealed record ShadowCopy(
    ShadowRoute Route, string FunctionName, string LiveRequestId, ReadOnlyMemory<byte> Payload, string? ClientContext, ShadowOutcome Live);
