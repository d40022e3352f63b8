using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Nimbus.Server.Gateway;

/// <summary>Writes RFC 7807 problem details from handlers that write their responses themselves.</summary>
public static class Problems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }

        return Results.Problem(problem).ExecuteAsync(context);
    }

    public static Task PayloadTooLargeAsync(HttpContext context, int maxBytes) => WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
        "Payload too large", $"The request payload is larger than the maximum of {maxBytes} bytes ({maxBytes / (1024 * 1024)} MB) for a synchronous invocation.");

    public static Task ShuttingDownAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
        "Shutting down", "Nimbus is shutting down and accepts no new invocations.");
}
