using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Nimbus.Core.Api;

namespace Nimbus.Server.Gateway;

/// <summary>
/// Errors in the shape of Lambda's API: the type in <c>x-amzn-ErrorType</c> (where the AWS SDKs and CLI read the
/// error code) and a JSON body <c>{"Type":"User","message":"..."}</c>.
/// </summary>
public static class LambdaErrors
{
    public const string ResourceNotFound = "ResourceNotFoundException";
    public const string ResourceConflict = "ResourceConflictException";
    public const string TooManyRequests = "TooManyRequestsException";
    public const string RequestTooLarge = "RequestTooLargeException";
    public const string InvalidRequestContent = "InvalidRequestContentException";
    public const string InvalidParameterValue = "InvalidParameterValueException";
    public const string Service = "ServiceException";
    public const string InvalidSignature = "InvalidSignatureException";
    public const string UnrecognizedClient = "UnrecognizedClientException";
    public const string MissingAuthenticationToken = "MissingAuthenticationTokenException";
    public const string IncompleteSignature = "IncompleteSignatureException";
    public const string AccessDenied = "AccessDeniedException";

    /// <summary>Lambda's model spells the message member "Message" for these two, "message" for the others.</summary>
    private static readonly HashSet<string> s_capitalMessage = [ResourceNotFound, Service];

    /// <summary>Quotes as Lambda writes them ("Unexpected character ('x')"), not as \u0027: the body is JSON, never HTML.</summary>
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, int status, string type, string message, string? reason = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.Headers[LambdaHeaders.ErrorType] = type;
        response.ContentType = "application/json";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("Type", status >= 500 ? "Service" : "User");
            writer.WriteString(s_capitalMessage.Contains(type) ? "Message" : "message", message);
            if (reason is not null)
            {
                writer.WriteString("Reason", reason);
            }

            writer.WriteEndObject();
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
