using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Nimbus.Core.Errors;

/// <summary>
/// Groups errors that are the same bug: the fingerprint is a hash of the error type and the top
/// <see cref="TopFrames"/> stack frames, each normalised so that what changes between builds, instances and
/// invocations (line and column numbers, addresses, hex ids, GUIDs, the message on Node's first line) does not split a
/// group. The message is not part of it: messages carry ids and values.
/// </summary>
public static partial class ErrorFingerprint
{
    public const int TopFrames = 5;

    public static string Compute(string errorType, string message, IReadOnlyList<string> stackTrace)
    {
        var text = new StringBuilder(errorType);
        foreach (var frame in NormalisedFrames(errorType, message, stackTrace))
        {
            text.Append('\n').Append(frame);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    /// <summary>The top frames as they enter the fingerprint.</summary>
    public static IReadOnlyList<string> NormalisedFrames(string errorType, string message, IReadOnlyList<string> stackTrace)
    {
        var frames = new List<string>(TopFrames);
        foreach (var raw in stackTrace)
        {
            // Python frames carry the source line after a newline; the location line is the frame.
            var line = raw.Split('\n')[0].Trim();
            if (line.Length == 0 || IsHeader(line, errorType, message))
            {
                continue;
            }

            frames.Add(Normalise(line));
            if (frames.Count == TopFrames)
            {
                break;
            }
        }

        return frames;
    }

    /// <summary>One frame without line/column numbers, addresses, GUIDs or long hex runs.</summary>
    public static string Normalise(string frame)
    {
        var text = Guid().Replace(frame, "<guid>");
        text = HexAddress().Replace(text, "<addr>");
        text = LongHex().Replace(text, "<hex>");
        text = DotnetLine().Replace(text, "");
        text = PythonLine().Replace(text, "line <n>");
        text = LineColumn().Replace(text, "");
        return Whitespace().Replace(text, " ").Trim();
    }

    /// <summary>Node's first stack line repeats "Type: message"; it is not a frame.</summary>
    private static bool IsHeader(string line, string errorType, string message) =>
        line.StartsWith(errorType + ":", StringComparison.Ordinal) || line == errorType || (message.Length > 0 && line == message);

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")]
    private static partial Regex Guid();

    [GeneratedRegex(@"\+?0x[0-9a-fA-F]+")]
    private static partial Regex HexAddress();

    [GeneratedRegex(@"\b[0-9a-fA-F]{8,}\b|\b\d{6,}\b")]
    private static partial Regex LongHex();

    [GeneratedRegex(@":line \d+")]
    private static partial Regex DotnetLine();

    [GeneratedRegex(@"\bline \d+")]
    private static partial Regex PythonLine();

    [GeneratedRegex(@"(:\d+)+(?=\)|$|\s)")]
    private static partial Regex LineColumn();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
