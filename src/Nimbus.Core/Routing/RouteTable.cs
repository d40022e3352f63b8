using System.Buffers;
using System.Collections.Frozen;

namespace Nimbus.Core.Routing;

/// <summary>
/// The gateway's compiled HTTP routes: a segment tree built once per routing snapshot and matched on every request
/// without regular expressions. Immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// When several routes match a path the most specific wins: more literal segments first, then a template without a
/// greedy parameter, then literal-before-parameter from the left, then an exact method over <c>ANY</c> over the
/// <c>GET</c> route serving a <c>HEAD</c> request. Paths are matched case-sensitively, methods case-insensitively,
/// and a trailing slash is ignored.
/// </remarks>
public sealed class RouteTable
{
    private const int StackSegments = 32;

    private static readonly IReadOnlyDictionary<string, string> s_noParameters = FrozenDictionary<string, string>.Empty;

    private static readonly string[] s_allMethods = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

    private readonly RouteNode _root;

    private RouteTable(RouteNode root, int count, IReadOnlyList<RouteTableIssue> issues)
    {
        _root = root;
        Count = count;
        Issues = issues;
    }

    public static RouteTable Empty { get; } = Build([]);

    /// <summary>Number of routes in the table.</summary>
    public int Count { get; }

    /// <summary>Bindings left out because their template is invalid or duplicates an earlier one.</summary>
    public IReadOnlyList<RouteTableIssue> Issues { get; }

    /// <summary>Compiles the bindings. Earlier bindings win over later ones with the same method and template shape.</summary>
    public static RouteTable Build(IEnumerable<RouteBinding> bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        var root = new RouteNode.Builder();
        var issues = new List<RouteTableIssue>();
        var seen = new Dictionary<string, RouteBinding>(StringComparer.Ordinal);
        var order = 0;
        foreach (var binding in bindings)
        {
            if (!RouteTemplate.TryParse(binding.Route.Path, out var template, out var error))
            {
                issues.Add(new RouteTableIssue(binding, $"the path {error}"));
                continue;
            }

            var method = binding.Route.Method.ToUpperInvariant();
            if (!seen.TryAdd($"{method} {template.Shape}", binding))
            {
                var kept = seen[$"{method} {template.Shape}"];
                issues.Add(new RouteTableIssue(binding,
                    $"it matches the same requests as '{kept.Route.Method} {kept.Route.Path}' of function '{kept.FunctionName}'"));
                continue;
            }

            var endpoint = new RouteEndpoint(binding, method, template, $"{method} {binding.Route.Path}", order++);
            var node = root;
            foreach (var segment in template.Segments)
            {
                switch (segment.Kind)
                {
                    case RouteSegmentKind.Literal:
                        node = node.Literal(segment.Value);
                        break;
                    case RouteSegmentKind.Parameter:
                        node = node.Parameter();
                        break;
                    case RouteSegmentKind.Greedy:
                        node.Greedy.Add(endpoint);
                        node = null;
                        break;
                }

                if (node is null)
                {
                    break;
                }
            }

            node?.Terminal.Add(endpoint);
        }

        return new RouteTable(root.Freeze(), order, issues);
    }

    /// <summary>
    /// Finds the route for a request. <paramref name="path"/> is the raw (still percent-encoded) path without the
    /// query string. When this answers false, <see cref="GetAllowedMethods"/> tells a 405 from a 404.
    /// </summary>
    public bool TryMatch(string method, string path, out RouteMatch match)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        match = null!;
        Span<Range> stack = stackalloc Range[StackSegments];
        if (!TrySplit(path, stack, out var segments))
        {
            return false;
        }

        var search = new Search(method, collectMethods: null);
        Walk(_root, path, segments, ref search);
        if (search.Best is not { } best)
        {
            return false;
        }

        match = new RouteMatch(best.Binding.FunctionName, best.Binding.Route.Qualifier, best.RouteKey, ExtractParameters(best.Template, path, segments))
        {
            Auth = best.Binding.Route.Auth,
        };
        return true;
    }

    /// <summary>
    /// The methods some route accepts for <paramref name="path"/>, sorted, for a 405 answer's <c>Allow</c> header
    /// (<c>HEAD</c> is included with <c>GET</c>). Empty when no route matches the path: answer 404.
    /// </summary>
    public IReadOnlyList<string> GetAllowedMethods(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Span<Range> stack = stackalloc Range[StackSegments];
        if (!TrySplit(path, stack, out var segments))
        {
            return [];
        }

        var methods = new SortedSet<string>(StringComparer.Ordinal);
        var search = new Search("", methods);
        Walk(_root, path, segments, ref search);
        if (methods.Contains("ANY"))
        {
            return s_allMethods;
        }

        if (methods.Contains("GET"))
        {
            methods.Add("HEAD");
        }

        return [.. methods];
    }

    /// <summary>Splits "/a/b/" into the ranges of "a" and "b"; false when the path does not start with '/'.</summary>
    private static bool TrySplit(string path, Span<Range> stack, out ReadOnlySpan<Range> segments)
    {
        segments = default;
        if (path.Length == 0)
        {
            path = "/";
        }

        if (path[0] != '/')
        {
            return false;
        }

        var end = path.Length > 1 && path[^1] == '/' ? path.Length - 1 : path.Length;
        if (end <= 1)
        {
            segments = [];
            return true;
        }

        var body = path.AsSpan(1, end - 1);
        var count = body.Count('/') + 1;
        var ranges = count <= stack.Length ? stack[..count] : new Range[count];
        body.Split(ranges, '/');
        for (var i = 0; i < ranges.Length; i++)
        {
            var (offset, length) = ranges[i].GetOffsetAndLength(body.Length);
            ranges[i] = new Range(offset + 1, offset + 1 + length);
        }

        segments = ranges;
        return true;
    }

    /// <summary>
    /// Visits every node the path can reach (a literal and a parameter child may both match) and lets the search
    /// consider their routes. Iterative with an explicit stack, so a deep route or path cannot overflow the thread's
    /// stack; the order of visits does not matter because the search keeps the best by a total order.
    /// </summary>
    private static void Walk(RouteNode root, string path, ReadOnlySpan<Range> segments, ref Search search)
    {
        var pending = ArrayPool<(RouteNode Node, int Index)>.Shared.Rent(16);
        try
        {
            var count = 0;
            pending[count++] = (root, 0);
            while (count > 0)
            {
                var (node, index) = pending[--count];
                if (index == segments.Length)
                {
                    search.Consider(node.Terminal);
                    continue;
                }

                var segment = path.AsSpan(segments[index]);
                if (segment.IsEmpty)
                {
                    // "//" never matches a literal or a parameter, but may sit inside a greedy remainder.
                    search.Consider(node.Greedy);
                    continue;
                }

                if (count + 2 > pending.Length)
                {
                    var larger = ArrayPool<(RouteNode, int)>.Shared.Rent(pending.Length * 2);
                    Array.Copy(pending, larger, count);
                    ArrayPool<(RouteNode, int)>.Shared.Return(pending, clearArray: true);
                    pending = larger;
                }

                if (node.TryGetLiteral(segment, out var literal))
                {
                    pending[count++] = (literal, index + 1);
                }
                else if (segment.Contains('%') && node.TryGetLiteral(Uri.UnescapeDataString(segment), out literal))
                {
                    pending[count++] = (literal, index + 1);
                }

                if (node.Parameter is { } parameter)
                {
                    pending[count++] = (parameter, index + 1);
                }

                search.Consider(node.Greedy);
            }
        }
        finally
        {
            ArrayPool<(RouteNode, int)>.Shared.Return(pending, clearArray: true);
        }
    }

    private static IReadOnlyDictionary<string, string> ExtractParameters(RouteTemplate template, string path, ReadOnlySpan<Range> segments)
    {
        if (template.LiteralCount == template.Segments.Count)
        {
            return s_noParameters;
        }

        var parameters = new Dictionary<string, string>(template.Segments.Count - template.LiteralCount, StringComparer.Ordinal);
        for (var i = 0; i < template.Segments.Count; i++)
        {
            var segment = template.Segments[i];
            if (segment.Kind == RouteSegmentKind.Parameter)
            {
                parameters[segment.Value] = Decode(path.AsSpan(segments[i]));
            }
            else if (segment.Kind == RouteSegmentKind.Greedy)
            {
                var start = segments[i].Start.GetOffset(path.Length);
                var end = segments[^1].End.GetOffset(path.Length);
                parameters[segment.Value] = Decode(path.AsSpan(start, end - start));
            }
        }

        return parameters;
    }

    private static string Decode(ReadOnlySpan<char> value) =>
        value.Contains('%') ? Uri.UnescapeDataString(value) : value.ToString();

    /// <summary>The best endpoint seen so far for one request; or, in method-collecting mode, every method seen.</summary>
    private struct Search(string method, SortedSet<string>? collectMethods)
    {
        private readonly string _method = method;
        private readonly SortedSet<string>? _methods = collectMethods;
        private int _bestMethodRank;

        public RouteEndpoint? Best { get; private set; }

        public void Consider(RouteEndpoint[] endpoints)
        {
            foreach (var endpoint in endpoints)
            {
                if (_methods is not null)
                {
                    _methods.Add(endpoint.Method);
                    continue;
                }

                var rank = MethodRank(endpoint.Method);
                if (rank == 0)
                {
                    continue;
                }

                if (Best is null || IsBetter(endpoint, rank, Best, _bestMethodRank))
                {
                    Best = endpoint;
                    _bestMethodRank = rank;
                }
            }
        }

        private readonly int MethodRank(string routeMethod)
        {
            if (string.Equals(routeMethod, _method, StringComparison.OrdinalIgnoreCase))
            {
                return 3;
            }

            if (routeMethod == "ANY")
            {
                return 2;
            }

            return routeMethod == "GET" && string.Equals(_method, "HEAD", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        }

        private static bool IsBetter(RouteEndpoint candidate, int candidateRank, RouteEndpoint best, int bestRank)
        {
            var a = candidate.Template;
            var b = best.Template;
            if (a.LiteralCount != b.LiteralCount)
            {
                return a.LiteralCount > b.LiteralCount;
            }

            if (a.HasGreedy != b.HasGreedy)
            {
                return !a.HasGreedy;
            }

            // Same count of literals: prefer the one whose first differing segment is the more specific.
            var length = Math.Min(a.Segments.Count, b.Segments.Count);
            for (var i = 0; i < length; i++)
            {
                if (a.Segments[i].Kind != b.Segments[i].Kind)
                {
                    return a.Segments[i].Kind < b.Segments[i].Kind;
                }
            }

            if (candidateRank != bestRank)
            {
                return candidateRank > bestRank;
            }

            return candidate.Order < best.Order;
        }
    }
}
