using Nimbus.Core.Functions;

namespace Nimbus.Core.Events;

/// <summary>Checks a function's async settings against Lambda's ranges. Pure; field names are the API's.</summary>
public static class AsyncConfigValidator
{
    public const int MaxRetryAttempts = 2;
    public const int MinEventAgeSeconds = 60;
    public const int MaxEventAgeSeconds = 21_600;
    public const int MaxQueueDepth = 10_000_000;
    public const int MaxRetryDelays = 2;

    public static IReadOnlyList<ValidationError> Validate(AsyncConfig? config)
    {
        var errors = new List<ValidationError>();
        if (config is null)
        {
            return errors;
        }

        if (config.MaximumRetryAttempts is < 0 or > MaxRetryAttempts)
        {
            errors.Add(new("async.maximumRetryAttempts", $"must be between 0 and {MaxRetryAttempts}, was {config.MaximumRetryAttempts}"));
        }

        if (config.MaximumEventAgeInSeconds is < MinEventAgeSeconds or > MaxEventAgeSeconds)
        {
            errors.Add(new("async.maximumEventAgeInSeconds",
                $"must be between {MinEventAgeSeconds} and {MaxEventAgeSeconds} seconds, was {config.MaximumEventAgeInSeconds}"));
        }

        if (config.MaximumQueueDepth is < 1 or > MaxQueueDepth)
        {
            errors.Add(new("async.maximumQueueDepth", $"must be between 1 and {MaxQueueDepth}, was {config.MaximumQueueDepth}"));
        }

        if (config.RetryDelaysSeconds is { } delays)
        {
            if (delays.Count > MaxRetryDelays)
            {
                errors.Add(new("async.retryDelays", $"has {delays.Count} delays; give at most {MaxRetryDelays} (one per retry)"));
            }

            for (var i = 0; i < delays.Count; i++)
            {
                if (!double.IsFinite(delays[i]) || delays[i] < 0 || delays[i] > MaxEventAgeSeconds)
                {
                    errors.Add(new($"async.retryDelays[{i}]", $"must be between 0 and {MaxEventAgeSeconds} seconds, was {delays[i]}"));
                }
            }
        }

        ValidateDestination(config.OnSuccess, "async.onSuccess", allowDlq: false, errors);
        ValidateDestination(config.OnFailure, "async.onFailure", allowDlq: true, errors);
        return errors;
    }

    private static void ValidateDestination(string? destination, string field, bool allowDlq, List<ValidationError> errors)
    {
        if (destination is null)
        {
            return;
        }

        if (!AsyncDestination.TryParse(destination, out var parsed, out var problem))
        {
            errors.Add(new(field, problem));
        }
        else if (parsed.Kind == AsyncDestinationKind.DeadLetterQueue && !allowDlq)
        {
            errors.Add(new(field, "cannot be 'dlq': only failed events go to the dead-letter queue"));
        }
    }
}
