using System.Text.Json;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Storage;

public sealed class SpanAttributesJsonTests
{
    [Fact]
    public void Serialize_EveryKindOfValue_WritesExactlyWhatJsonSerializerWrites()
    {
        var attributes = new Dictionary<string, object?>
        {
            ["cloud.provider"] = "nimbus",
            ["text"] = "quote \" backslash \\ <tag> & 'é' 日本 \u0001 \n",
            ["key \"with\" <escapes>"] = "v",
            ["flag"] = true,
            ["off"] = false,
            ["hops"] = 3,
            ["memory"] = 256L * 1024 * 1024,
            ["negative"] = -7L,
            ["init"] = 123.456,
            ["whole"] = 250.0,
            ["tiny"] = 1e-7,
            ["huge"] = 1.7976931348623157e308,
            ["none"] = null,
            ["nested"] = new Dictionary<string, object?> { ["a"] = 1, ["b"] = new[] { "x", "y" } },
            ["element"] = JsonDocument.Parse("""{"k":[1,2.5,"s"]}""").RootElement,
            ["float"] = 0.1f,
        };

        Assert.Equal(JsonSerializer.Serialize<IReadOnlyDictionary<string, object?>>(attributes), SpanAttributesJson.Serialize(attributes));
    }

    [Fact]
    public void Serialize_EmptyThenLarge_ReusesNoStaleBytes()
    {
        var large = Enumerable.Range(0, 200).ToDictionary(i => "k" + i, i => (object?)new string('x', i));

        Assert.Equal(JsonSerializer.Serialize<IReadOnlyDictionary<string, object?>>(large), SpanAttributesJson.Serialize(large));
        Assert.Equal("{}", SpanAttributesJson.Serialize(new Dictionary<string, object?>()));
    }
}
