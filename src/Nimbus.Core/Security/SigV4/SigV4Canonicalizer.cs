using System.Text;

namespace Nimbus.Core.Security.SigV4;

/// <summary>Builds SigV4's canonical request: method, URI, query, headers, signed header list and payload hash.</summary>
public static class SigV4Canonicalizer
{
    public static string CanonicalRequest(SigV4Request request, IReadOnlyList<string> signedHeaders)
    {
        var builder = new StringBuilder();
        builder.Append(request.Method.ToUpperInvariant()).Append('\n');
        builder.Append(CanonicalUri(request.RawPath)).Append('\n');
        builder.Append(CanonicalQuery(request.RawQuery)).Append('\n');
        foreach (var name in signedHeaders)
        {
            builder.Append(name).Append(':').Append(CanonicalHeaderValue(request.Header(name))).Append('\n');
        }

        builder.Append('\n');
        builder.Append(string.Join(';', signedHeaders)).Append('\n');
        builder.Append(request.PayloadHash);
        return builder.ToString();
    }

    /// <summary>
    /// The path as the client sent it (already percent-encoded once), dot segments removed, then encoded again: every
    /// service but S3 signs the double-encoded path, so <c>%3A</c> in a Lambda ARN is signed as <c>%253A</c>.
    /// </summary>
    public static string CanonicalUri(string rawPath)
    {
        if (rawPath.Length == 0)
        {
            return "/";
        }

        var segments = new List<string>();
        foreach (var segment in rawPath.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment);
        }

        var path = "/" + string.Join('/', segments);
        if (segments.Count > 0 && rawPath.EndsWith('/'))
        {
            path += "/";
        }

        return UriEncode(path, keepSlash: true);
    }

    /// <summary>Parameters decoded, re-encoded the AWS way, sorted by name then value (ordinal).</summary>
    public static string CanonicalQuery(string rawQuery)
    {
        if (rawQuery.StartsWith('?'))
        {
            rawQuery = rawQuery[1..];
        }

        if (rawQuery.Length == 0)
        {
            return "";
        }

        var pairs = new List<(string Name, string Value)>();
        foreach (var pair in rawQuery.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            // '+' stays a literal plus: SigV4 clients encode a space as %20, never as '+'.
            pairs.Add((UriEncode(Uri.UnescapeDataString(name), keepSlash: false), UriEncode(Uri.UnescapeDataString(value), keepSlash: false)));
        }

        pairs.Sort((a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>Values trimmed, runs of spaces collapsed to one, several values joined with commas.</summary>
    public static string CanonicalHeaderValue(IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0)
        {
            return "";
        }

        return string.Join(',', values.Select(CollapseSpaces));
    }

    /// <summary>RFC 3986 encoding as SigV4 defines it: unreserved characters kept, everything else %XX of its UTF-8 bytes.</summary>
    public static string UriEncode(string text, bool keepSlash)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string CollapseSpaces(string value)
    {
        var trimmed = value.Trim();
        var builder = new StringBuilder(trimmed.Length);
        var previousSpace = false;
        foreach (var c in trimmed)
        {
            var isSpace = c == ' ';
            if (!(isSpace && previousSpace))
            {
                builder.Append(c);
            }

            previousSpace = isSpace;
        }

        return builder.ToString();
    }
}
