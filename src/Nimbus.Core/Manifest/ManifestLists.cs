using YamlDotNet.RepresentationModel;

namespace Nimbus.Core.Manifest;

/// <summary>Lists of texts in the manifest: <c>[a, b]</c>, a block list, or one text standing for a list of one.</summary>
internal static class ManifestLists
{
    public static IReadOnlyList<string>? Strings(YamlNode node)
    {
        if (YamlNodes.ScalarText(node) is { } one)
        {
            return [one];
        }

        if (node is not YamlSequenceNode sequence)
        {
            return null;
        }

        var items = new List<string>();
        foreach (var item in sequence.Children)
        {
            if (YamlNodes.ScalarText(item) is not { } text)
            {
                return null;
            }

            items.Add(text);
        }

        return items;
    }
}
