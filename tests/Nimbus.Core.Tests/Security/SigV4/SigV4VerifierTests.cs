using System.Text;
using Nimbus.Core.Security.SigV4;
using static Nimbus.Core.Tests.Security.SigV4.SigV4TestRequests;

namespace Nimbus.Core.Tests.Security.SigV4;

public class SigV4VerifierTests
{
    private const string VanillaAuthorization =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

    private static readonly Dictionary<string, string> s_credentials = new() { [SuiteAccessKey] = SuiteSecret };

    private static SigV4Verdict Verify(SigV4Request request, DateTimeOffset? now = null, string? service = null, Dictionary<string, string>? credentials = null) =>
        SigV4Verifier.Verify(request, credentials ?? s_credentials, now ?? SuiteNow, service);

    [Fact]
    public void Verify_GetVanillaWithPublishedSignature_IsValid()
    {
        var verdict = Verify(Vanilla(authorization: VanillaAuthorization));

        Assert.True(verdict.IsValid, verdict.Message);
        Assert.Equal(SuiteAccessKey, verdict.AccessKeyId);
    }

    [Fact]
    public void Verify_NoAuthorizationHeader_IsMissing() =>
        Assert.Equal(SigV4Status.Missing, Verify(Vanilla()).Status);

    [Fact]
    public void Verify_WrongSecret_IsSignatureMismatch()
    {
        var verdict = Verify(Vanilla(authorization: VanillaAuthorization), credentials: new() { [SuiteAccessKey] = "not-the-secret" });

        Assert.Equal(SigV4Status.SignatureMismatch, verdict.Status);
        Assert.Contains("does not match the signature you provided", verdict.Message);
    }

    [Fact]
    public void Verify_RequestAlteredAfterSigning_IsSignatureMismatch() =>
        Assert.Equal(SigV4Status.SignatureMismatch, Verify(Vanilla(query: "Qualifier=2", authorization: VanillaAuthorization)).Status);

    [Fact]
    public void Verify_UnknownAccessKey_IsUnrecognised() =>
        Assert.Equal(SigV4Status.UnknownAccessKey, Verify(Vanilla(authorization: VanillaAuthorization), credentials: new() { ["OTHER"] = SuiteSecret }).Status);

    [Theory]
    [InlineData(15, SigV4Status.Valid)]
    [InlineData(16, SigV4Status.Expired)]
    [InlineData(-15, SigV4Status.Valid)]
    [InlineData(-16, SigV4Status.Expired)]
    public void Verify_ClockSkew_AllowsFifteenMinutesEitherWay(int serverMinutesAhead, SigV4Status expected)
    {
        var verdict = Verify(Vanilla(authorization: VanillaAuthorization), now: SuiteNow.AddMinutes(serverMinutesAhead));

        Assert.True(expected == verdict.Status, $"server clock {serverMinutesAhead:+0;-0} min: expected {expected}, got {verdict.Status} ({verdict.Message})");
    }

    [Fact]
    public void Verify_Expired_NamesBothTimes()
    {
        var verdict = Verify(Vanilla(authorization: VanillaAuthorization), now: SuiteNow.AddMinutes(20));

        Assert.Equal("Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T125600Z - 15 min.)", verdict.Message);
    }

    [Fact]
    public void Verify_CredentialForAnotherService_IsWrongScope()
    {
        var verdict = Verify(Vanilla(authorization: VanillaAuthorization), service: "lambda");

        Assert.Equal(SigV4Status.WrongScope, verdict.Status);
        Assert.Contains("'lambda'", verdict.Message);
    }

    [Fact]
    public void Verify_ScopeDateDiffersFromRequestDate_IsWrongScope()
    {
        var request = Vanilla(authorization: VanillaAuthorization.Replace("20150830/", "20150829/", StringComparison.Ordinal));

        Assert.Equal(SigV4Status.WrongScope, Verify(request).Status);
    }

    [Fact]
    public void Verify_DateHeaderNotSigned_IsMalformed()
    {
        var request = Vanilla(authorization: VanillaAuthorization.Replace("SignedHeaders=host;x-amz-date", "SignedHeaders=host", StringComparison.Ordinal));

        var verdict = Verify(request);

        Assert.Equal(SigV4Status.Malformed, verdict.Status);
        Assert.Contains("'x-amz-date'", verdict.Message);
    }

    [Fact]
    public void Verify_NoDateHeader_IsMalformed()
    {
        var request = Request("GET", "/", "", SigV4Signer.EmptyPayloadHash, ("Host", "example.amazonaws.com"), ("Authorization", VanillaAuthorization));

        Assert.Equal(SigV4Status.Malformed, Verify(request).Status);
    }

    [Fact]
    public void Verify_SignedRequestWithBody_IsValidAndATamperedBodyIsNot()
    {
        var body = Encoding.UTF8.GetBytes("{\"name\":\"Ada\"}");
        var hash = SigV4Signer.HashHex(body);
        (string, string)[] headers = [("Host", "127.0.0.1:7700"), ("X-Amz-Date", SuiteDate), ("x-amz-content-sha256", hash), ("X-Amz-Log-Type", "Tail")];
        var unsigned = Request("POST", "/2015-03-31/functions/f%3Alive/invocations", "", hash, headers);
        var authorization = SigV4Signer.Authorization(unsigned, ["host", "x-amz-content-sha256", "x-amz-date", "x-amz-log-type"],
            SuiteAccessKey, SuiteSecret, SuiteDate, "eu-west-1", "lambda");

        var signed = Request("POST", "/2015-03-31/functions/f%3Alive/invocations", "", hash, [.. headers, ("Authorization", authorization)]);
        var tampered = signed with { PayloadHash = SigV4Signer.HashHex(Encoding.UTF8.GetBytes("{\"name\":\"Eve\"}")) };

        Assert.Equal(SigV4Status.Valid, Verify(signed, service: "lambda").Status);
        Assert.Equal(SigV4Status.PayloadHashMismatch, Verify(tampered, service: "lambda").Status);
    }
}
