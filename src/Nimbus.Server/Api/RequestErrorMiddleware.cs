using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Nimbus.Server.Gateway;

namespace Nimbus.Server.Api;

/// <summary>
/// Turns what escapes an endpoint into ProblemDetails: a body that cannot be read as the expected JSON becomes a 400
/// that says why (the JSON error names the path and position), a JSON body in a charset .NET cannot decode a 415,
/// anything else a 500 without internals.
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
        if (UnsupportedCharset(context) is { } charset)
        {
            await Problems.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported charset",
                $"The request body's charset '{charset}' (in Content-Type) is not supported: send JSON as UTF-8 (charset=utf-8, or no charset).").ConfigureAwait(false);
            return;
        }

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

    /// <summary>
    /// The charset of a request to an endpoint that binds a JSON body, when .NET has no encoding of that name (the
    /// binder would throw). Invoke endpoints take their payload as bytes and never get here: they declare no body type.
    /// </summary>
    private static string? UnsupportedCharset(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        if (contentType is null || !contentType.Contains("charset", StringComparison.OrdinalIgnoreCase)
            || context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is null
            || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var charset = mediaType.Charset;
        if (!charset.HasValue || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            _ = Encoding.GetEncoding(charset.Value!);
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return charset.Value;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6001, LogLevel.Error, "Unhandled error in {Method} {Path}")]
        public static partial void Unhandled(ILogger logger, string method, string path, Exception exception);
    }
}
