using System.Text;
using Nimbus.Core.Idempotency;

namespace Nimbus.Core.Tests.Idempotency;

public class IdempotencyKeyTests
{
    private static string? Extract(string key, string payload, string? headerValue = null)
    {
        Assert.True(IdempotencyKeySource.TryParse(key, out var source, out var problem), problem);
        return IdempotencyKeyExtractor.Extract(source, Encoding.UTF8.GetBytes(payload),
            name => string.Equals(name, "Idempotency-Key", StringComparison.OrdinalIgnoreCase) ? headerValue : null);
    }

    [Theory]
    [InlineData("$.orderId", """{"orderId":"A-7"}""", "A-7")]
    [InlineData("$.orderId", """{"orderId":7}""", "7")]
    [InlineData("$.order.id", """{"order":{"id":"x"}}""", "x")]
    [InlineData("$.items[1].sku", """{"items":[{"sku":"a"},{"sku":"b"}]}""", "b")]
    [InlineData("$[\"odd name\"]", """{"odd name":"v"}""", "v")]
    [InlineData("$.order", """{"order":{"id":1, "n":2}}""", """{"id":1, "n":2}""")]
    public void Extract_JsonPath_ReadsTheSelectedValue(string key, string payload, string expected) => Assert.Equal(expected, Extract(key, payload));

    [Theory]
    [InlineData("""{"other":1}""")]
    [InlineData("""{"orderId":null}""")]
    [InlineData("""[1,2]""")]
    [InlineData("not json")]
    public void Extract_NoValueAtThePath_GivesNoKey(string payload) => Assert.Null(Extract("$.orderId", payload));

    [Fact]
    public void Extract_StringAndNumberWithTheSameText_AreOneKey() =>
        Assert.Equal(Extract("$.id", """{"id":"7"}"""), Extract("$.id", """{"id":7}"""));

    [Fact]
    public void Extract_Header_ReadsTheHeaderWhateverTheEvent()
    {
        Assert.Equal("abc", Extract("header:Idempotency-Key", "not json", "abc"));
        Assert.Null(Extract("header:idempotency-key", "{}", null));
    }

    [Theory]
    [InlineData("orderId", "not a key")]
    [InlineData("$", "whole event")]
    [InlineData("$.a..b", "empty member")]
    [InlineData("$.a[x]", "array index")]
    [InlineData("$.a[0", "without ']'")]
    [InlineData("header:", "no valid header")]
    [InlineData("header:bad name", "no valid header")]
    public void TryParse_BadKey_SaysWhatIsWrong(string key, string expected)
    {
        Assert.False(IdempotencyKeySource.TryParse(key, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_IsStableAndHidesTheKey()
    {
        Assert.Equal(IdempotencyKeyExtractor.Hash("A-7"), IdempotencyKeyExtractor.Hash("A-7"));
        Assert.NotEqual(IdempotencyKeyExtractor.Hash("A-7"), IdempotencyKeyExtractor.Hash("A-8"));
        Assert.Equal(64, IdempotencyKeyExtractor.Hash("A-7").Length);
    }
}
