namespace Nimbus.Core.Tracing;

/// <summary>
/// An AWS X-Ray trace header (<c>X-Amzn-Trace-Id</c>, <c>_X_AMZN_TRACE_ID</c>):
/// <c>Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=nimbus:2</c>.
/// The root's two parts are the W3C trace id, so both headers name the same trace.
/// </summary>
public readonly record struct XRayHeader(string TraceId, string? ParentSpanId, bool Sampled, int? Hops)
{
    public static bool TryParse(string? header, out XRayHeader parsed)
    {
        parsed = default;
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        string? traceId = null, parent = null;
        var sampled = true;
        int? hops = null;
        var text = header.AsSpan();
        foreach (var range in text.Split(';'))
        {
            var field = text[range].Trim();
            var equals = field.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var key = field[..equals];
            var value = field[(equals + 1)..];
            if (key.SequenceEqual("Root"))
            {
                // 1-{8 hex epoch}-{24 hex}
                if (value.Length != 35 || value[0] != '1' || value[1] != '-' || value[10] != '-')
                {
                    return false;
                }

                var id = string.Concat(value.Slice(2, 8), value.Slice(11, 24));
                if (!IsTraceId(id))
                {
                    return false;
                }

                traceId = id;
            }
            else if (key.SequenceEqual("Parent"))
            {
                parent = value.Length == 16 && IsLowerHex(value) ? value.ToString() : null;
            }
            else if (key.SequenceEqual("Sampled"))
            {
                sampled = !value.SequenceEqual("0");
            }
            else if (key.SequenceEqual("Lineage"))
            {
                hops = TraceHops.FromLineage(value);
            }
        }

        if (traceId is null)
        {
            return false;
        }

        parsed = new XRayHeader(traceId, parent, sampled, hops);
        return true;
    }

    private static bool IsTraceId(string id) => IsLowerHex(id) && id.AsSpan().IndexOfAnyExcept('0') >= 0;

    private static bool IsLowerHex(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
