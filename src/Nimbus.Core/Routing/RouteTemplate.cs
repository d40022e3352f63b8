using System.Diagnostics.CodeAnalysis;

namespace Nimbus.Core.Routing;

/// <summary>
/// A parsed route path such as <c>/orders/{id}</c> or <c>/files/{path+}</c>. Parameters take a whole segment;
/// a greedy parameter may only be last. A trailing slash is ignored (<c>/orders/</c> is <c>/orders</c>).
/// </summary>
public sealed class RouteTemplate
{
    private RouteTemplate(string text, RouteSegment[] segments, string shape)
    {
        Text = text;
        Segments = segments;
        Shape = shape;
        LiteralCount = segments.Count(s => s.Kind == RouteSegmentKind.Literal);
        HasGreedy = segments.Length > 0 && segments[^1].Kind == RouteSegmentKind.Greedy;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    public IReadOnlyList<RouteSegment> Segments { get; }

    public int LiteralCount { get; }

    public bool HasGreedy { get; }

    /// <summary>
    /// The template with parameter names erased (<c>/orders/{}</c>, <c>/files/{+}</c>): two templates with the same
    /// shape match exactly the same paths, so two routes with the same method and shape are ambiguous.
    /// </summary>
    public string Shape { get; }

    public override string ToString() => Text;

    public static RouteTemplate Parse(string path) =>
        TryParse(path, out var template, out var error) ? template : throw new FormatException($"Route path '{path}' {error}.");

    /// <summary>Parses a template; on failure <paramref name="error"/> says what is wrong (e.g. "must start with '/'").</summary>
    public static bool TryParse(string? path, [NotNullWhen(true)] out RouteTemplate? template, [NotNullWhen(false)] out string? error)
    {
        template = null;
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            error = "must start with '/'";
            return false;
        }

        var body = path.Length > 1 && path[^1] == '/' ? path[1..^1] : path[1..];
        if (body.Length == 0)
        {
            template = new RouteTemplate(path, [], "/");
            error = null;
            return true;
        }

        var parts = body.Split('/');
        var segments = new RouteSegment[parts.Length];
        var names = new HashSet<string>(StringComparer.Ordinal);
        var shape = new System.Text.StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length == 0)
            {
                error = "must not contain an empty segment ('//')";
                return false;
            }

            if (part[0] == '{' || part[^1] == '}')
            {
                if (part.Length < 3 || part[0] != '{' || part[^1] != '}')
                {
                    error = $"has a malformed parameter '{part}'; a parameter takes a whole segment: '{{name}}' or '{{name+}}'";
                    return false;
                }

                var greedy = part[^2] == '+';
                var name = greedy ? part[1..^2] : part[1..^1];
                if (!IsParameterName(name))
                {
                    error = $"has an invalid parameter name in '{part}'; use letters, digits, '_', '-' or '.'";
                    return false;
                }

                if (greedy && i != parts.Length - 1)
                {
                    error = $"has the greedy parameter '{part}' before the end; '{{name+}}' must be the last segment";
                    return false;
                }

                if (!names.Add(name))
                {
                    error = $"uses the parameter name '{name}' twice";
                    return false;
                }

                segments[i] = new RouteSegment(greedy ? RouteSegmentKind.Greedy : RouteSegmentKind.Parameter, name);
                shape.Append(greedy ? "/{+}" : "/{}");
            }
            else
            {
                if (part.AsSpan().IndexOfAny('{', '}') >= 0)
                {
                    error = $"has '{{' or '}}' inside the segment '{part}'; a parameter takes a whole segment";
                    return false;
                }

                segments[i] = new RouteSegment(RouteSegmentKind.Literal, part);
                shape.Append('/').Append(part);
            }
        }

        template = new RouteTemplate(path, segments, shape.ToString());
        error = null;
        return true;
    }

    private static bool IsParameterName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
