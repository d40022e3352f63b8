using Nimbus.Core.Routing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Nimbus.Core.Manifest;

/// <summary>
/// Reads <c>nimbus.yaml</c> (see docs/manifest.md) into a validated <see cref="NimbusManifest"/>. Reports every problem
/// it can find at once, each with the field path, the 1-based line, what is wrong and what is expected. Pure: the
/// code paths are resolved against <c>baseDirectory</c> but the file system is not consulted.
/// </summary>
public static class ManifestParser
{
    private const string DocumentField = "(document)";

    private static readonly IReadOnlyList<string> s_topLevelKeys = ["functions", "queues"];

    /// <summary>Parses the manifest's bytes, which must be UTF-8 (see <see cref="ManifestText"/>).</summary>
    /// <param name="baseDirectory">Absolute path of the folder holding the manifest; <c>code</c> is relative to it.</param>
    public static ManifestParseResult Parse(ReadOnlySpan<byte> utf8, string baseDirectory)
    {
        var text = ManifestText.Decode(utf8, out var error);
        return text is null ? Failed([error!]) : Parse(text, baseDirectory);
    }

    /// <param name="yamlText">The manifest's text.</param>
    /// <param name="baseDirectory">Absolute path of the folder holding the manifest; <c>code</c> is relative to it.</param>
    public static ManifestParseResult Parse(string yamlText, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentNullException.ThrowIfNull(baseDirectory);

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException e)
        {
            return Failed([SyntaxError(e, yamlText)]);
        }

        if (stream.Documents.Count == 0 || YamlNodes.IsNull(stream.Documents[0].RootNode))
        {
            return Failed([new ManifestError("functions", "is required: the manifest is empty; declare functions under 'functions:'", 1)]);
        }

        if (stream.Documents.Count > 1)
        {
            return Failed([new ManifestError(DocumentField, "must be a single YAML document; remove the extra '---'",
                YamlNodes.Line(stream.Documents[1].RootNode))]);
        }

        var errors = new List<ManifestError>();
        var functions = ReadFunctions(stream.Documents[0].RootNode, baseDirectory, errors);
        var queues = ReadQueues(stream.Documents[0].RootNode, errors);
        CheckRouteConflicts(functions, errors);
        if (errors.Count > 0)
        {
            return Failed(errors);
        }

        return new ManifestParseResult(new NimbusManifest([.. functions.Select(f => f.Function)], baseDirectory) { Queues = queues }, []);
    }

    private static List<ManifestFunctionResult> ReadFunctions(YamlNode root, string baseDirectory, List<ManifestError> errors)
    {
        var functions = new List<ManifestFunctionResult>();
        if (root is not YamlMappingNode rootMapping)
        {
            errors.Add(new ManifestError(DocumentField, $"must be a mapping with a 'functions' key, not {YamlNodes.Kind(root)}", YamlNodes.Line(root)));
            return functions;
        }

        YamlNode? functionsNode = null;
        foreach (var (keyNode, valueNode) in rootMapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (key == "functions")
            {
                functionsNode = valueNode;
            }
            else if (key == "queues")
            {
                continue; // read by ReadQueues
            }
            else
            {
                errors.Add(new ManifestError(key, KeySuggestion.UnknownKeyMessage(key, s_topLevelKeys), YamlNodes.Line(keyNode)));
            }
        }

        if (functionsNode is null)
        {
            errors.Add(new ManifestError("functions", "is required: a mapping of function names to their settings", YamlNodes.Line(root)));
            return functions;
        }

        if (functionsNode is not YamlMappingNode functionsMapping || functionsMapping.Children.Count == 0)
        {
            var what = YamlNodes.IsNull(functionsNode) || functionsNode is YamlMappingNode ? "is empty" : $"is {YamlNodes.Kind(functionsNode)}";
            errors.Add(new ManifestError("functions", $"must declare at least one function (a mapping of names to settings), but {what}",
                YamlNodes.Line(functionsNode)));
            return functions;
        }

        foreach (var (nameNode, valueNode) in functionsMapping.Children)
        {
            if (nameNode is not YamlScalarNode { Value: { } name })
            {
                errors.Add(new ManifestError("functions", "has a function name that is not plain text", YamlNodes.Line(nameNode)));
                continue;
            }

            if (ManifestFunctionReader.Read(name, nameNode, valueNode, baseDirectory, errors) is { } function)
            {
                functions.Add(function);
            }
        }

        return functions;
    }

    private static IReadOnlyList<Queues.QueueConfig> ReadQueues(YamlNode root, List<ManifestError> errors)
    {
        var node = (root as YamlMappingNode)?.Children.FirstOrDefault(c => (c.Key as YamlScalarNode)?.Value == "queues").Value;
        return ManifestQueueReader.Read(node, (field, message, line) => errors.Add(new ManifestError(field, message, line)));
    }

    /// <summary>Each request must lead to one function: no two routes may have the same method and template shape.</summary>
    private static void CheckRouteConflicts(List<ManifestFunctionResult> functions, List<ManifestError> errors)
    {
        var declared = new Dictionary<string, ManifestRouteDeclaration>(StringComparer.Ordinal);
        foreach (var route in functions.SelectMany(f => f.Routes))
        {
            if (!RouteTemplate.TryParse(route.Route.Path, out var template, out _))
            {
                continue;
            }

            if (declared.TryAdd($"{route.Route.Method} {template.Shape}", route))
            {
                continue;
            }

            var first = declared[$"{route.Route.Method} {template.Shape}"];
            var where = first.FunctionName == route.FunctionName ? "in this function" : $"by function '{first.FunctionName}'";
            var message = first.RouteKey == route.RouteKey
                ? $"route '{route.RouteKey}' is already declared {where} (line {first.Line}); each route must lead to one function"
                : $"route '{route.RouteKey}' matches the same requests as '{first.RouteKey}' declared {where} (line {first.Line}); each route must lead to one function";
            errors.Add(new ManifestError(route.Field, message, route.Line));
        }
    }

    private static ManifestParseResult Failed(IEnumerable<ManifestError> errors) =>
        new(null, [.. errors.OrderBy(e => e.Line ?? 0)]);

    private static ManifestError SyntaxError(YamlException e, string yamlText)
    {
        var message = SyntaxMessage(e);
        if (message.Contains("tab", StringComparison.Ordinal) && FirstLineIndentedWithTab(yamlText) is { } tabLine)
        {
            // YamlDotNet points at the enclosing mapping, not at the offending line.
            return new ManifestError("(syntax)", "not valid YAML: indentation must use spaces, not tabs", tabLine);
        }

        if (message.Contains("flow", StringComparison.Ordinal))
        {
            message += "; inside [ ] or { } quote values that contain '{', '}', ',' or ':' (e.g. [\"GET /orders/{id}\"])";
        }

        return new ManifestError("(syntax)", $"not valid YAML: {message}", (int)e.Start.Line);
    }

    private static int? FirstLineIndentedWithTab(string yamlText)
    {
        var lines = yamlText.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indentation = lines[i].AsSpan();
            indentation = indentation[..(indentation.Length - indentation.TrimStart().Length)];
            if (indentation.Contains('\t'))
            {
                return i + 1;
            }
        }

        return null;
    }

    /// <summary>YamlDotNet prefixes its message with "(Line: .., Col: .., Idx: ..) - (...): "; the line is reported apart.</summary>
    private static string SyntaxMessage(YamlException e)
    {
        var message = e.Message;
        var separator = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && separator >= 0)
        {
            message = message[(separator + 3)..];
        }

        var text = message.Trim();
        if (text.Length > 0)
        {
            text = char.ToLowerInvariant(text[0]) + text[1..];
        }

        return e.Start.Column > 0 ? $"{text} (column {e.Start.Column})" : text;
    }
}
