namespace Nimbus.Core.Deployments;

/// <summary>The body of <c>POST /api/v1/freeze-windows</c>: ISO 8601 instants with an offset (<c>2026-12-24T00:00Z</c>),
/// a reason, and optionally the one function it freezes.</summary>
public sealed record FreezeWindowRequest
{
    public string? Start { get; init; }
    public string? End { get; init; }
    public string? Reason { get; init; }
    public string? Function { get; init; }
}
