using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Nimbus.Server.Gateway;

namespace Nimbus.Server.Api;

/// <summary>
/// Turns what escapes an endpoint into ProblemDetails: a body that cannot be read as the expected JSON becomes a 400
/// that says why (the JSON error names the path and position), anything else a 500 without internals.
/// </summary>
public sealed partial class RequestErrorMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<RequestErrorMiddleware> _logger;

    public RequestErrorMiddleware(RequestDelegate next, ILogger<RequestErrorMiddleware> logger)
    {
        _next = next;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var reason = ex.InnerException is System.Text.Json.JsonException json ? json.Message : ex.Message;
            await Problems.WriteAsync(context, ex.StatusCode, "Invalid request", reason).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Response.HasStarted && ex is not OperationCanceledException)
        {
            Log.Unhandled(_logger, context.Request.Method, context.Request.Path.Value ?? "", ex);
            await Problems.WriteAsync(context, StatusCodes.Status500InternalServerError, "Internal error",
                "Nimbus failed to handle this request; the server log has the details.").ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6001, LogLevel.Error, "Unhandled error in {Method} {Path}")]
        public static partial void Unhandled(ILogger logger, string method, string path, Exception exception);
    }
}
