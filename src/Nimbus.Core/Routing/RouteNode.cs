using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Nimbus.Core.Routing;

/// <summary>
/// One level of the route tree: children by literal segment, one child for a <c>{parameter}</c>, the routes that
/// end here, and the routes whose greedy parameter starts here. Frozen after the build.
/// </summary>
internal sealed class RouteNode
{
    private readonly FrozenDictionary<string, RouteNode> _literals;
    private readonly FrozenDictionary<string, RouteNode>.AlternateLookup<ReadOnlySpan<char>> _literalsBySpan;

    private RouteNode(FrozenDictionary<string, RouteNode> literals, RouteNode? parameter, RouteEndpoint[] terminal, RouteEndpoint[] greedy)
    {
        _literals = literals;
        _literalsBySpan = literals.GetAlternateLookup<ReadOnlySpan<char>>();
        Parameter = parameter;
        Terminal = terminal;
        Greedy = greedy;
    }

    public RouteNode? Parameter { get; }

    /// <summary>Routes whose template ends at this node.</summary>
    public RouteEndpoint[] Terminal { get; }

    /// <summary>Routes whose greedy parameter takes the rest of the path from this node on.</summary>
    public RouteEndpoint[] Greedy { get; }

    public bool TryGetLiteral(ReadOnlySpan<char> segment, [NotNullWhen(true)] out RouteNode? child)
    {
        if (_literals.Count == 0)
        {
            child = null;
            return false;
        }

        return _literalsBySpan.TryGetValue(segment, out child);
    }

    /// <summary>The mutable form used while building.</summary>
    public sealed class Builder
    {
        private readonly Dictionary<string, Builder> _literals = new(StringComparer.Ordinal);
        private Builder? _parameter;
        private RouteNode? _frozen;

        public List<RouteEndpoint> Terminal { get; } = [];

        public List<RouteEndpoint> Greedy { get; } = [];

        public Builder Literal(string text)
        {
            if (!_literals.TryGetValue(text, out var child))
            {
                child = new Builder();
                _literals.Add(text, child);
            }

            return child;
        }

        public Builder Parameter() => _parameter ??= new Builder();

        /// <summary>
        /// Freezes this node and everything below it. Iterative (children first, from an explicit stack), so a route
        /// of any depth cannot overflow the thread's stack.
        /// </summary>
        public RouteNode Freeze()
        {
            var pending = new Stack<(Builder Node, bool ChildrenFrozen)>();
            pending.Push((this, false));
            while (pending.Count > 0)
            {
                var (node, childrenFrozen) = pending.Pop();
                if (!childrenFrozen)
                {
                    pending.Push((node, true));
                    foreach (var child in node._literals.Values)
                    {
                        pending.Push((child, false));
                    }

                    if (node._parameter is { } parameter)
                    {
                        pending.Push((parameter, false));
                    }

                    continue;
                }

                node._frozen = new RouteNode(
                    node._literals.ToFrozenDictionary(pair => pair.Key, pair => pair.Value._frozen!, StringComparer.Ordinal),
                    node._parameter?._frozen,
                    [.. node.Terminal],
                    [.. node.Greedy]);
            }

            return _frozen!;
        }
    }
}
