using Nimbus.Core.Invocations;

namespace Nimbus.Core.Errors;

/// <summary>
/// Fingerprints failed invocations and counts them per group and version until <see cref="Drain"/>.
/// Not thread-safe: one caller at a time.
/// </summary>
public sealed class ErrorGroupAggregator
{
    private readonly Dictionary<(string Function, string Fingerprint, string Version), ErrorOccurrence> _pending = [];

    public void Add(InvocationRecord record)
    {
        if (record.Outcome is InvocationOutcome.Success or InvocationOutcome.Throttled)
        {
            return;
        }

        var fallbackType = record.ErrorType ?? ErrorTypes.Unknown;
        var report = record.ErrorBody.IsEmpty
            ? new ErrorReport(fallbackType, "", [])
            : ErrorReport.Parse(record.ErrorBody.Span, fallbackType);
        var fingerprint = ErrorFingerprint.Compute(report.ErrorType, report.Message, report.StackTrace);
        var key = (record.FunctionName, fingerprint, record.Version);
        var seen = record.StartedAt;
        _pending[key] = _pending.TryGetValue(key, out var existing)
            ? existing with
            {
                Count = existing.Count + 1,
                FirstSeen = seen < existing.FirstSeen ? seen : existing.FirstSeen,
                LastSeen = seen >= existing.LastSeen ? seen : existing.LastSeen,
                Message = seen >= existing.LastSeen ? report.Message : existing.Message,
                StackTrace = seen >= existing.LastSeen ? report.StackTrace : existing.StackTrace,
                SampleRequestId = seen >= existing.LastSeen ? record.RequestId : existing.SampleRequestId,
                SampleTraceId = seen >= existing.LastSeen ? record.TraceId : existing.SampleTraceId,
            }
            : new ErrorOccurrence(record.FunctionName, fingerprint, report.ErrorType, report.Message, report.StackTrace,
                record.Version, 1, seen, seen, record.RequestId, record.TraceId);
    }

    public IReadOnlyList<ErrorOccurrence> Drain()
    {
        var drained = _pending.Values.ToList();
        _pending.Clear();
        return drained;
    }
}
