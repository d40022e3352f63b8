using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Nimbus.Core.Security.SigV4;

namespace Nimbus.Server.Security;

/// <summary>Reads what SigV4 signs from an ASP.NET Core request: the path and query as sent, not as decoded.</summary>
public static class SigV4HttpRequest
{
    public static SigV4Request From(HttpRequest request, ReadOnlySpan<byte> body)
    {
        // The signature covers the path the client encoded (e.g. %3A in an ARN); Request.Path is already decoded.
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        string path, query;
        if (rawTarget is not null && rawTarget.StartsWith('/'))
        {
            var question = rawTarget.IndexOf('?');
            (path, query) = question < 0 ? (rawTarget, "") : (rawTarget[..question], rawTarget[(question + 1)..]);
        }
        else
        {
            path = (request.PathBase + request.Path).ToUriComponent();
            query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        }

        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.Select(v => v ?? "").ToArray();
        }

        return new SigV4Request(request.Method, path, query, headers, SigV4Signer.HashHex(body));
    }
}
