using System.Text.Json;

namespace Nimbus.Core.Errors;

/// <summary>
/// A function error as the worker reported it in Lambda's error JSON: <c>errorType</c>, <c>errorMessage</c> and
/// <c>stackTrace</c> (an array of frames, or one string of lines, as some runtimes send it).
/// </summary>
public sealed record ErrorReport(string ErrorType, string Message, IReadOnlyList<string> StackTrace)
{
    public const int MaxMessageLength = 1024;
    public const int MaxFrames = 50;

    /// <summary>Reads the body; anything that is not Lambda's error JSON gives the fallback type, its text as the message, no frames.</summary>
    public static ErrorReport Parse(ReadOnlySpan<byte> body, string fallbackType)
    {
        string? type = null, message = null;
        var frames = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                type = root.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                message = root.TryGetProperty("errorMessage", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                if (root.TryGetProperty("stackTrace", out var stack))
                {
                    if (stack.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var frame in stack.EnumerateArray())
                        {
                            if (frame.ValueKind == JsonValueKind.String && frames.Count < MaxFrames)
                            {
                                frames.Add(frame.GetString()!);
                            }
                        }
                    }
                    else if (stack.ValueKind == JsonValueKind.String)
                    {
                        frames.AddRange(stack.GetString()!.Split('\n').Take(MaxFrames));
                    }
                }
            }
        }
        catch (JsonException)
        {
            message = System.Text.Encoding.UTF8.GetString(body);
        }

        message ??= "";
        if (message.Length > MaxMessageLength)
        {
            message = message[..MaxMessageLength];
        }

        return new ErrorReport(string.IsNullOrEmpty(type) ? fallbackType : type, message, frames);
    }
}
