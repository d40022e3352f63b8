using Nimbus.Core.Security.SigV4;
using static Nimbus.Core.Tests.Security.SigV4.SigV4TestRequests;

namespace Nimbus.Core.Tests.Security.SigV4;

/// <summary>Known answers published by AWS: any deviation in canonicalisation or the key chain changes them.</summary>
public class SigV4SignerTests
{
    [Fact]
    public void SigningKey_MatchesAwsDocumentedDerivationExample()
    {
        // "Examples of how to derive a signing key for Signature Version 4" (IAM user guide).
        var key = SigV4Signer.SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");

        Assert.Equal("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d", Convert.ToHexStringLower(key));
    }

    [Fact]
    public void CanonicalRequest_GetVanilla_MatchesSuite()
    {
        var canonical = SigV4Canonicalizer.CanonicalRequest(Vanilla(), ["host", "x-amz-date"]);

        Assert.Equal(
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            canonical);
        Assert.Equal("bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", SigV4Signer.HashHex(System.Text.Encoding.UTF8.GetBytes(canonical)));
    }

    [Fact]
    public void StringToSign_GetVanilla_MatchesSuite()
    {
        var canonical = SigV4Canonicalizer.CanonicalRequest(Vanilla(), ["host", "x-amz-date"]);

        Assert.Equal(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            SigV4Signer.StringToSign(SuiteDate, "20150830/us-east-1/service/aws4_request", canonical));
    }

    [Theory]
    [InlineData("GET", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")] // get-vanilla
    [InlineData("POST", "", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")] // post-vanilla
    [InlineData("GET", "Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")] // get-vanilla-query-order-key-case
    public void Authorization_SuiteRequests_MatchPublishedHeader(string method, string query, string signature)
    {
        var header = SigV4Signer.Authorization(Vanilla(method, query), ["host", "x-amz-date"], SuiteAccessKey, SuiteSecret, SuiteDate, "us-east-1", "service");

        Assert.Equal($"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}", header);
    }

    [Fact]
    public void Authorization_S3GetObjectExample_MatchesPublishedSignature()
    {
        // Amazon S3 API reference, "Signature Calculations for the Authorization Header": GET Object with a Range.
        var request = Request("GET", "/test.txt", "", SigV4Signer.EmptyPayloadHash,
            ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
            ("x-amz-content-sha256", SigV4Signer.EmptyPayloadHash), ("x-amz-date", "20130524T000000Z"));

        var header = SigV4Signer.Authorization(request, ["host", "range", "x-amz-content-sha256", "x-amz-date"],
            "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524T000000Z", "us-east-1", "s3");

        Assert.EndsWith("Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", header);
    }
}
