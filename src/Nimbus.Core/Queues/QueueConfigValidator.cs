using Nimbus.Core.Functions;

namespace Nimbus.Core.Queues;

/// <summary>Checks a queue declaration against SQS's limits. Pure; field names are the API's.</summary>
public static class QueueConfigValidator
{
    public const int MaxVisibilityTimeoutSeconds = 43_200;
    public const int MinRetentionSeconds = 60;
    public const int MaxRetentionSeconds = 14 * 24 * 3600;
    public const int MaxDelaySeconds = 900;
    public const int MaxReceiveCountLimit = 1000;
    public const int MaxDepthLimit = 10_000_000;

    public static IReadOnlyList<ValidationError> Validate(QueueConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<ValidationError>();
        if (QueueNames.Check(config.Name) is { } nameError)
        {
            errors.Add(new("name", nameError));
        }

        if (config.VisibilityTimeoutSeconds is < 0 or > MaxVisibilityTimeoutSeconds)
        {
            errors.Add(new("visibilityTimeoutSeconds", $"must be between 0 and {MaxVisibilityTimeoutSeconds} seconds (12 hours), was {config.VisibilityTimeoutSeconds}"));
        }

        if (config.RetentionSeconds is < MinRetentionSeconds or > MaxRetentionSeconds)
        {
            errors.Add(new("retentionSeconds", $"must be between {MinRetentionSeconds} seconds and {MaxRetentionSeconds} seconds (14 days), was {config.RetentionSeconds}"));
        }

        if (config.DelaySeconds is < 0 or > MaxDelaySeconds)
        {
            errors.Add(new("delaySeconds", $"must be between 0 and {MaxDelaySeconds} seconds (15 minutes), was {config.DelaySeconds}"));
        }

        if (config.MaxReceiveCount is < 1 or > MaxReceiveCountLimit)
        {
            errors.Add(new("maxReceiveCount", $"must be between 1 and {MaxReceiveCountLimit}, was {config.MaxReceiveCount}"));
        }

        if (config.MaximumDepth is < 1 or > MaxDepthLimit)
        {
            errors.Add(new("maximumDepth", $"must be between 1 and {MaxDepthLimit} messages, was {config.MaximumDepth}"));
        }

        return errors;
    }

    /// <summary>
    /// A consumer whose timeout outlasts the visibility timeout would see its batch handed to a second consumer while it
    /// still runs: the classic cause of duplicate processing. Null when the pair is safe.
    /// </summary>
    public static string? CheckConsumer(QueueConfig queue, string functionName, double functionTimeoutSeconds)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return queue.VisibilityTimeoutSeconds is { } visibility && visibility < functionTimeoutSeconds
            ? $"queue '{queue.Name}' has a visibility timeout of {visibility}s, shorter than the {functionTimeoutSeconds}s timeout of its consumer '{functionName}': "
              + "a message would become visible again, and be processed twice, while the function still works on it; "
              + $"raise visibilityTimeout to at least {Math.Ceiling(functionTimeoutSeconds)}s (six times the timeout is advised) or leave it unset"
            : null;
    }
}
