namespace Nimbus.Core.Routing;

/// <summary>One segment of a route template: the literal text, or the parameter's name.</summary>
public readonly record struct RouteSegment(RouteSegmentKind Kind, string Value);
