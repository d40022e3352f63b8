using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Nimbus.Core.Security.SigV4;

/// <summary>Checks an <c>AWS4-HMAC-SHA256</c> signed request against known access keys, at a given time.</summary>
public static class SigV4Verifier
{
    public const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>How far the request's date may be from the server's clock, either way (AWS allows 15 minutes).</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    /// <param name="credentials">Access key id → secret access key.</param>
    /// <param name="now">The server's clock (a parameter so tests control it).</param>
    /// <param name="expectedService">The service the credential must be scoped to (<c>lambda</c>); null accepts any.</param>
    public static SigV4Verdict Verify(SigV4Request request, IReadOnlyDictionary<string, string> credentials, DateTimeOffset now, string? expectedService)
    {
        var header = request.Header("authorization");
        if (header is null || header.Count == 0 || string.IsNullOrWhiteSpace(header[0]))
        {
            return new(SigV4Status.Missing, "Missing Authentication Token");
        }

        var authorization = SigV4Authorization.TryParse(header[0], out var error);
        if (authorization is null)
        {
            return new(SigV4Status.Malformed, error);
        }

        var (amzDate, dateHeader, dateError) = RequestDate(request);
        if (amzDate is null)
        {
            return new(SigV4Status.Malformed, dateError, authorization.AccessKeyId);
        }

        foreach (var required in new[] { "host", dateHeader })
        {
            if (!authorization.SignedHeaders.Contains(required))
            {
                return new(SigV4Status.Malformed, $"SignedHeaders must include '{required}'.", authorization.AccessKeyId);
            }
        }

        if (authorization.Date != amzDate.Value.ToString("yyyyMMdd", CultureInfo.InvariantCulture))
        {
            return new(SigV4Status.WrongScope,
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{authorization.Date}' != '{amzDate.Value:yyyyMMdd}'.",
                authorization.AccessKeyId);
        }

        if (expectedService is not null && authorization.Service != expectedService)
        {
            return new(SigV4Status.WrongScope, $"Credential should be scoped to correct service: '{expectedService}'.", authorization.AccessKeyId);
        }

        var amzText = amzDate.Value.ToString(AmzDateFormat, CultureInfo.InvariantCulture);
        if (amzDate.Value < now - MaxSkew)
        {
            return new(SigV4Status.Expired,
                $"Signature expired: {amzText} is now earlier than {(now - MaxSkew).ToString(AmzDateFormat, CultureInfo.InvariantCulture)} " +
                $"({now.ToString(AmzDateFormat, CultureInfo.InvariantCulture)} - 15 min.)", authorization.AccessKeyId);
        }

        if (amzDate.Value > now + MaxSkew)
        {
            return new(SigV4Status.Expired,
                $"Signature not yet current: {amzText} is still later than {(now + MaxSkew).ToString(AmzDateFormat, CultureInfo.InvariantCulture)} " +
                $"({now.ToString(AmzDateFormat, CultureInfo.InvariantCulture)} + 15 min.)", authorization.AccessKeyId);
        }

        if (!credentials.TryGetValue(authorization.AccessKeyId, out var secret))
        {
            return new(SigV4Status.UnknownAccessKey, "The security token included in the request is invalid.", authorization.AccessKeyId);
        }

        // A client may declare the body's hash; it must be the body that arrived, or the signature would cover another body.
        if (request.Header("x-amz-content-sha256") is [var declared, ..] && !string.Equals(declared.Trim(), request.PayloadHash, StringComparison.OrdinalIgnoreCase))
        {
            return new(SigV4Status.PayloadHashMismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.", authorization.AccessKeyId);
        }

        var canonical = SigV4Canonicalizer.CanonicalRequest(request, authorization.SignedHeaders);
        var stringToSign = SigV4Signer.StringToSign(amzText, authorization.Scope, canonical);
        var expected = SigV4Signer.Signature(SigV4Signer.SigningKey(secret, authorization.Date, authorization.Region, authorization.Service), stringToSign);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(authorization.Signature))
            ? new(SigV4Status.Valid, "", authorization.AccessKeyId)
            : new(SigV4Status.SignatureMismatch,
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
                authorization.AccessKeyId);
    }

    /// <summary><c>x-amz-date</c> (<c>20150830T123600Z</c>), else the HTTP <c>Date</c> header.</summary>
    private static (DateTimeOffset? Date, string Header, string Error) RequestDate(SigV4Request request)
    {
        if (request.Header("x-amz-date") is [var amz, ..])
        {
            return DateTimeOffset.TryParseExact(amz.Trim(), AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                ? (parsed, "x-amz-date", "")
                : (null, "x-amz-date", $"X-Amz-Date '{amz}' is not in the form YYYYMMDD'T'HHMMSS'Z'.");
        }

        if (request.Header("date") is [var http, ..])
        {
            return DateTimeOffset.TryParseExact(http.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                ? (parsed, "date", "")
                : (null, "date", $"Date '{http}' is not an RFC 1123 date.");
        }

        return (null, "", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
}
