using Nimbus.Core.Manifest;

namespace Nimbus.Core.Tests.Idempotency;

public class ManifestIdempotencyTests
{
    private static readonly string s_base = Path.Combine(Path.GetTempPath(), "project");

    private static ManifestParseResult Parse(string idempotency) => ManifestParser.Parse($"""
        functions:
          orders:
            runtime: node
            handler: index.handler
            code: ./orders
            idempotency: {idempotency}
        """, s_base);

    [Fact]
    public void Parse_KeyAndTtl_AreRead()
    {
        var result = Parse("{key: $.orderId, ttl: 1h}");

        Assert.Empty(result.Errors);
        var idempotency = Assert.Single(result.Manifest!.Functions).Config.Idempotency!;
        Assert.Equal("$.orderId", idempotency.Key);
        Assert.Equal(3600, idempotency.TtlSeconds);
    }

    [Fact]
    public void Parse_NoTtl_DefaultsToOneHour()
    {
        var idempotency = Assert.Single(Parse("{key: 'header:Idempotency-Key'}").Manifest!.Functions).Config.Idempotency!;
        Assert.Equal(TimeSpan.FromHours(1), idempotency.Ttl);
    }

    [Fact]
    public void Parse_MisspelledSetting_SuggestsTheKnownOneOnItsLine()
    {
        var error = Assert.Single(Parse("{key: $.id, tll: 1h}").Errors);
        Assert.Equal("functions.orders.idempotency.tll", error.Field);
        Assert.Contains("ttl", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, error.Line);
    }

    [Theory]
    [InlineData("{key: orderId}", "functions.orders.idempotency.key", "JSON path")]
    [InlineData("{ttl: 1h}", "functions.orders.idempotency.key", "is required")]
    [InlineData("{key: $.id, ttl: 30d}", "functions.orders.idempotency.ttl", "duration")]
    [InlineData("{key: $.id, ttl: 8000000}", "functions.orders.idempotency.ttl", "between")]
    [InlineData("yes", "functions.orders.idempotency", "mapping")]
    public void Parse_BadSettings_NameTheFieldAndTheProblem(string idempotency, string field, string expected)
    {
        var error = Assert.Single(Parse(idempotency).Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFunctionKey_NearIdempotency_SuggestsIt()
    {
        var result = ManifestParser.Parse("""
            functions:
              orders:
                runtime: node
                code: ./orders
                idempotence: {key: $.id}
            """, s_base);
        var error = Assert.Single(result.Errors, e => e.Field == "functions.orders.idempotence");
        Assert.Contains("idempotency", error.Message, StringComparison.Ordinal);
    }
}
