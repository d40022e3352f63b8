using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Nimbus.Core.Manifest;

/// <summary>Small questions asked of YAML nodes while reading the manifest.</summary>
internal static class YamlNodes
{
    /// <summary>YamlDotNet counts lines from 1, as editors do.</summary>
    public static int Line(YamlNode node) => (int)node.Start.Line;

    /// <summary>An empty value (<c>key:</c>), <c>~</c> or <c>null</c>, written without quotes.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>Names the kind of a node the way a user would: "a mapping", "a list".</summary>
    public static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ => "a single value",
    };

    public static string? ScalarText(YamlNode node) => node is YamlScalarNode scalar && !IsNull(node) ? scalar.Value ?? "" : null;
}
