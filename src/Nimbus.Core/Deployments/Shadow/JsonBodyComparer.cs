using System.Text.Json;

namespace Nimbus.Core.Deployments.Shadow;

/// <summary>
/// Whether two response bodies mean the same: when both are JSON, key order and whitespace are ignored and numbers are
/// compared by value (<c>1.0</c> equals <c>1</c>); array order counts. A body that is not JSON is compared byte for byte.
/// </summary>
public static class JsonBodyComparer
{
    private const int MaxDepth = 64;

    public static bool AreEqual(ReadOnlyMemory<byte> left, ReadOnlyMemory<byte> right)
    {
        if (left.Span.SequenceEqual(right.Span))
        {
            return true;
        }

        if (!TryParse(left, out var leftDocument))
        {
            return false;
        }

        using (leftDocument)
        {
            if (!TryParse(right, out var rightDocument))
            {
                return false;
            }

            using (rightDocument)
            {
                return ElementsEqual(leftDocument!.RootElement, rightDocument!.RootElement);
            }
        }
    }

    private static bool TryParse(ReadOnlyMemory<byte> body, out JsonDocument? document)
    {
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return true;
        }
        catch (JsonException)
        {
            document = null;
            return false;
        }
    }

    private static bool ElementsEqual(JsonElement left, JsonElement right)
    {
        if (left.ValueKind != right.ValueKind)
        {
            return false;
        }

        switch (left.ValueKind)
        {
            case JsonValueKind.Object:
                return ObjectsEqual(left, right);
            case JsonValueKind.Array:
                {
                    if (left.GetArrayLength() != right.GetArrayLength())
                    {
                        return false;
                    }

                    using var rightItems = right.EnumerateArray();
                    foreach (var item in left.EnumerateArray())
                    {
                        rightItems.MoveNext();
                        if (!ElementsEqual(item, rightItems.Current))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            case JsonValueKind.String:
                return left.ValueEquals(right.GetString());
            case JsonValueKind.Number:
                return NumbersEqual(left, right);
            default:
                return true; // true, false and null carry no more than their kind
        }
    }

    private static bool ObjectsEqual(JsonElement left, JsonElement right)
    {
        // The last of duplicate keys wins, as in most JSON readers.
        var rightProperties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in right.EnumerateObject())
        {
            rightProperties[property.Name] = property.Value;
        }

        var leftProperties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in left.EnumerateObject())
        {
            leftProperties[property.Name] = property.Value;
        }

        if (leftProperties.Count != rightProperties.Count)
        {
            return false;
        }

        foreach (var (name, value) in leftProperties)
        {
            if (!rightProperties.TryGetValue(name, out var other) || !ElementsEqual(value, other))
            {
                return false;
            }
        }

        return true;
    }

    private static bool NumbersEqual(JsonElement left, JsonElement right)
    {
        if (left.TryGetDecimal(out var leftDecimal) && right.TryGetDecimal(out var rightDecimal))
        {
            return leftDecimal == rightDecimal;
        }

        return left.TryGetDouble(out var leftDouble) && right.TryGetDouble(out var rightDouble) && leftDouble.Equals(rightDouble);
    }
}
