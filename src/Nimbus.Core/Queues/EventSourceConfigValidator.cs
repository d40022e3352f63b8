using Nimbus.Core.Functions;

namespace Nimbus.Core.Queues;

/// <summary>Checks a function's <c>sources</c>. Pure; field names are the API's (<c>sources[0].batchSize</c>).</summary>
public static class EventSourceConfigValidator
{
    public const int MaxBatchSize = 10;
    public const double MaxBatchingWindowSeconds = 300;
    public const int MaxConcurrencyLimit = 1000;

    public static IReadOnlyList<ValidationError> Validate(IReadOnlyList<EventSourceConfig>? sources)
    {
        var errors = new List<ValidationError>();
        if (sources is null)
        {
            return errors;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++)
        {
            var field = $"sources[{i}]";
            if (sources[i] is not { } source)
            {
                errors.Add(new(field, "must be an object with a queue"));
                continue;
            }

            if (QueueNames.Check(source.Queue) is { } nameError)
            {
                errors.Add(new($"{field}.queue", nameError));
            }
            else if (!seen.Add(source.Queue))
            {
                errors.Add(new($"{field}.queue", $"queue '{source.Queue}' is already a source of this function; declare each queue once"));
            }

            if (source.BatchSize is < 1 or > MaxBatchSize)
            {
                errors.Add(new($"{field}.batchSize", $"must be between 1 and {MaxBatchSize} messages, was {source.BatchSize}"));
            }

            if (double.IsNaN(source.MaximumBatchingWindowInSeconds) || source.MaximumBatchingWindowInSeconds is < 0 or > MaxBatchingWindowSeconds)
            {
                errors.Add(new($"{field}.maximumBatchingWindowInSeconds",
                    $"must be between 0 and {MaxBatchingWindowSeconds} seconds, was {source.MaximumBatchingWindowInSeconds}"));
            }

            if (source.MaximumConcurrency is < 1 or > MaxConcurrencyLimit)
            {
                errors.Add(new($"{field}.maximumConcurrency", $"must be between 1 and {MaxConcurrencyLimit} batches, was {source.MaximumConcurrency}"));
            }
        }

        return errors;
    }
}
