using System.Text;
using Nimbus.Core.Deployments;

namespace Nimbus.Core.Tests.Deployments;

public class AbKeyReaderTests
{
    private static readonly Dictionary<string, string> s_headers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["X-User"] = "ada",
        ["Cookie"] = "theme=dark; uid=\"u-42\"; empty=",
    };

    private static string? Read(string key, string payload = "") =>
        AbKeyReader.Read(DeploymentStrategyParser.Parse(new Dictionary<string, string?>
        {
            ["type"] = "ab", ["percent"] = "50", ["duration"] = "1h", ["key"] = key,
        }).Strategy!.Key!, name => s_headers.GetValueOrDefault(name), Encoding.UTF8.GetBytes(payload));

    [Theory]
    [InlineData("header:x-user", "ada")]
    [InlineData("header:X-Other", null)]
    [InlineData("cookie:uid", "u-42")]
    [InlineData("cookie:theme", "dark")]
    [InlineData("cookie:empty", null)]
    [InlineData("cookie:missing", null)]
    public void Read_HeadersAndCookies(string key, string? expected) => Assert.Equal(expected, Read(key));

    [Theory]
    [InlineData("""{"user":{"id":"u-7"}}""", "u-7")]
    [InlineData("""{"user":{"id":7}}""", "7")]
    [InlineData("""{"user":{"name":"x"}}""", null)]
    [InlineData("""{"user":["u-7"]}""", null)]
    [InlineData("not json", null)]
    [InlineData("", null)]
    public void Read_JsonPath(string payload, string? expected) => Assert.Equal(expected, Read("$.user.id", payload));

    [Fact]
    public void StickySplit_SameKeyAlwaysSameVersion_NoKeyGoesToTheBaseline()
    {
        var split = new StickySplit("dep-1", 1, 2, 50, new AbKey(AbKeySource.Header, "X-User"));
        var versions = Enumerable.Range(0, 200).Select(i => split.VersionFor($"user-{i}")).ToList();

        Assert.Equal(versions, Enumerable.Range(0, 200).Select(i => split.VersionFor($"user-{i}")));
        Assert.Contains(1, versions);
        Assert.Contains(2, versions);
        Assert.Equal(1, split.VersionFor(null));
    }
}
