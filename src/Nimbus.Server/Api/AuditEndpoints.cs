using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Api;

/// <summary><c>GET /api/v1/audit?since=&amp;limit=</c>: management actions and refused attempts, oldest first (admin only).</summary>
public static class AuditEndpoints
{
    public const int DefaultLimit = 1000;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/audit", QueryAsync);
        MethodNotAllowed.Map(api, "/audit", "GET");
    }

    private static async Task<IResult> QueryAsync(string? since, int? limit, SqliteAuditLog audit, CancellationToken cancellationToken)
    {
        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return ApiProblems.BadRequest("Invalid since", $"since '{since}' is not an ISO 8601 time such as 2026-12-01T10:00:00Z");
            }

            from = parsed;
        }

        if (limit is < 1 or > SqliteAuditLog.MaxLimit)
        {
            return ApiProblems.BadRequest("Invalid limit", $"limit must be between 1 and {SqliteAuditLog.MaxLimit}");
        }

        return TypedResults.Ok(await audit.QueryAsync(from, limit ?? DefaultLimit, cancellationToken));
    }
}
