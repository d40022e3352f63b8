using System.Globalization;
using Nimbus.Core.Functions;

namespace Nimbus.Core.Deployments;

/// <summary>Checks a <see cref="FreezeWindowRequest"/>, naming the field of every problem. Pure: the caller gives the time.</summary>
public static class FreezeWindowValidator
{
    public const int MaxReasonLength = 200;

    /// <summary>The longest window: a freeze that never ends is a switched-off deployment system, not a freeze.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(90);

    private static readonly string[] s_formats =
        ["yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public static IReadOnlyList<ValidationError> Validate(FreezeWindowRequest? request, DateTimeOffset now, out FreezeWindow? window)
    {
        window = null;
        if (request is null)
        {
            return [new("$", "must be a JSON object: {\"start\": \"2026-12-24T00:00Z\", \"end\": \"2026-12-27T00:00Z\", \"reason\": \"holidays\"}")];
        }

        var errors = new List<ValidationError>();
        var start = ReadInstant(request.Start, "start", errors);
        var end = ReadInstant(request.End, "end", errors);
        if (start is { } s && end is { } e)
        {
            if (e <= s)
            {
                errors.Add(new("end", $"must be after start ({Text(s)}), was {Text(e)}"));
            }
            else if (e <= now)
            {
                errors.Add(new("end", $"is in the past ({Text(e)}); a window that has ended freezes nothing"));
            }
            else if (e - s > MaxLength)
            {
                errors.Add(new("end", $"must be at most {MaxLength.TotalDays.ToString(CultureInfo.InvariantCulture)} days after start"));
            }
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            errors.Add(new("reason", "is required: say why deployments are frozen (it is shown to whoever is refused)"));
        }
        else if (request.Reason.Length > MaxReasonLength)
        {
            errors.Add(new("reason", $"must be at most {MaxReasonLength} characters, was {request.Reason.Length}"));
        }

        if (request.Function is not null && NameRules.CheckFunctionName(request.Function) is { } functionError)
        {
            errors.Add(new("function", functionError));
        }

        if (errors.Count == 0)
        {
            window = new FreezeWindow(start!.Value, end!.Value, request.Reason!.Trim()) { Function = request.Function };
        }

        return errors;
    }

    /// <summary>An instant as ISO 8601 with a time zone: <c>2026-12-24T00:00Z</c>, <c>2026-12-24T09:00:00+01:00</c>.</summary>
    public static bool TryParseInstant(string? text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParseExact(text?.Trim(), s_formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant)
        && HasZone(text!);

    private static bool HasZone(string text)
    {
        var t = text.Trim();
        var timePart = t[(t.IndexOf('T', StringComparison.Ordinal) + 1)..];
        return t.EndsWith('Z') || t.EndsWith('z') || timePart.Contains('+', StringComparison.Ordinal) || timePart.Contains('-', StringComparison.Ordinal);
    }

    private static DateTimeOffset? ReadInstant(string? text, string field, List<ValidationError> errors)
    {
        if (text is null)
        {
            errors.Add(new(field, "is required, an ISO 8601 instant with a time zone such as 2026-12-24T00:00Z"));
            return null;
        }

        if (!TryParseInstant(text, out var instant))
        {
            errors.Add(new(field, $"must be an ISO 8601 instant with a time zone such as 2026-12-24T00:00Z, was {NameRules.Shown(text)}"));
            return null;
        }

        return instant.ToUniversalTime();
    }

    private static string Text(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
