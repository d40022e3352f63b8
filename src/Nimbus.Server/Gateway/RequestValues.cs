using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Nimbus.Server.Gateway;

/// <summary>First values of headers and query parameters without LINQ, and without parsing an absent query string.</summary>
public static class RequestValues
{
    public static string? First(StringValues values) => values.Count > 0 ? values[0] : null;

    public static string? Header(HttpRequest request, string name) => First(request.Headers[name]);

    public static string? Query(HttpRequest request, string name) => request.QueryString.HasValue ? First(request.Query[name]) : null;
}
