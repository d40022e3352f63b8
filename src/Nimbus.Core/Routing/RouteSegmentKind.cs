namespace Nimbus.Core.Routing;

/// <summary>What one segment of a route template matches.</summary>
public enum RouteSegmentKind
{
    /// <summary>Exactly this text (case-sensitive).</summary>
    Literal,

    /// <summary><c>{name}</c>: any one non-empty segment.</summary>
    Parameter,

    /// <summary><c>{name+}</c>: one or more segments up to the end of the path; only last.</summary>
    Greedy,
}
