using Nimbus.Core.Security.SigV4;

namespace Nimbus.Core.Tests.Security.SigV4;

public class SigV4CanonicalizerTests
{
    [Fact]
    public void CanonicalUri_EncodedArnInPath_IsEncodedAgain()
    {
        // botocore sends the ARN's colons as %3A and signs the path encoded once more, as every service but S3 does.
        Assert.Equal("/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A000000000000%253Afunction%253Af/invocations",
            SigV4Canonicalizer.CanonicalUri("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/invocations"));
    }

    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("/a/./b/../c", "/a/c")]
    [InlineData("//a//b/", "/a/b/")]
    [InlineData("/a b", "/a%20b")]
    public void CanonicalUri_NormalisesDotSegmentsAndEncodes(string raw, string expected) =>
        Assert.Equal(expected, SigV4Canonicalizer.CanonicalUri(raw));

    [Theory]
    [InlineData("", "")]
    [InlineData("Qualifier=live", "Qualifier=live")]
    [InlineData("b=2&a=1&a=0", "a=0&a=1&b=2")]
    [InlineData("k=a%20b&flag", "flag=&k=a%20b")]
    [InlineData("k=a+b", "k=a%2Bb")]
    [InlineData("t=%7e%2a", "t=~%2A")]
    public void CanonicalQuery_DecodesReencodesAndSorts(string raw, string expected) =>
        Assert.Equal(expected, SigV4Canonicalizer.CanonicalQuery(raw));

    [Fact]
    public void CanonicalHeaderValue_TrimsCollapsesSpacesAndJoinsValues() =>
        Assert.Equal("a b c,d", SigV4Canonicalizer.CanonicalHeaderValue(["  a   b c ", "d"]));

    [Fact]
    public void UriEncode_KeepsOnlyUnreservedCharacters() =>
        Assert.Equal("aZ09-_.~%2F%20%3A%C3%A9", SigV4Canonicalizer.UriEncode("aZ09-_.~/ :é", keepSlash: false));
}
