using Nimbus.Core.Security.SigV4;

namespace Nimbus.Core.Tests.Security.SigV4;

public class SigV4AuthorizationTests
{
    private const string Signature = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

    [Fact]
    public void TryParse_HeaderAsTheAwsCliSendsIt_ReadsEveryPart()
    {
        var parsed = SigV4Authorization.TryParse(
            $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date;x-amz-log-type, Signature={Signature}",
            out var error);

        Assert.True(parsed is not null, error);
        Assert.Equal("AKIDEXAMPLE", parsed.AccessKeyId);
        Assert.Equal("20150830", parsed.Date);
        Assert.Equal("us-east-1", parsed.Region);
        Assert.Equal("lambda", parsed.Service);
        Assert.Equal(["host", "x-amz-date", "x-amz-log-type"], parsed.SignedHeaders);
        Assert.Equal(Signature, parsed.Signature);
        Assert.Equal("20150830/us-east-1/lambda/aws4_request", parsed.Scope);
    }

    [Theory]
    [InlineData("Bearer abc", "must start with 'AWS4-HMAC-SHA256 '")]
    [InlineData("AWS4-HMAC-SHA256 SignedHeaders=host, Signature=" + Signature, "'Credential'")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/lambda/aws4_request, Signature=" + Signature, "'SignedHeaders'")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/lambda/aws4_request, SignedHeaders=host", "'Signature'")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/2015-08-30/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=" + Signature, "malformed")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/lambda, SignedHeaders=host, Signature=" + Signature, "malformed")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=xyz", "64 lowercase hexadecimal")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/lambda/aws4_request, SignedHeaders=Host, Signature=" + Signature, "lowercase header names")]
    public void TryParse_MalformedHeader_SaysWhatIsWrong(string header, string expected)
    {
        Assert.Null(SigV4Authorization.TryParse(header, out var error));
        Assert.Contains(expected, error);
    }
}
