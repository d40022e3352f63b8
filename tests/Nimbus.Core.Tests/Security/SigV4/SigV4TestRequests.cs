using Nimbus.Core.Security.SigV4;

namespace Nimbus.Core.Tests.Security.SigV4;

/// <summary>The requests of AWS's published examples, and a helper to build others.</summary>
internal static class SigV4TestRequests
{
    // AWS Signature Version 4 test suite (aws-sig-v4-test-suite): example credentials and clock.
    public const string SuiteAccessKey = "AKIDEXAMPLE";
    public const string SuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string SuiteDate = "20150830T123600Z";
    public static readonly DateTimeOffset SuiteNow = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    public static SigV4Request Request(string method, string path, string query, string payloadHash, params (string Name, string Value)[] headers) =>
        new(method, path, query,
            headers.GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(h => h.Value).ToList(), StringComparer.OrdinalIgnoreCase),
            payloadHash);

    /// <summary>The suite's get-vanilla (or post-vanilla) request, with an Authorization header when one is given.</summary>
    public static SigV4Request Vanilla(string method = "GET", string query = "", string? authorization = null)
    {
        var headers = new List<(string, string)> { ("Host", "example.amazonaws.com"), ("X-Amz-Date", SuiteDate) };
        if (authorization is not null)
        {
            headers.Add(("Authorization", authorization));
        }

        return Request(method, "/", query, SigV4Signer.EmptyPayloadHash, [.. headers]);
    }
}
