using Nimbus.Core.Queues;

namespace Nimbus.Core.Api;

/// <summary>Body of <c>PUT /api/v1/queues/{name}</c>. Omitted fields take their defaults; times are seconds.</summary>
public sealed record QueueConfigRequest
{
    public int? VisibilityTimeoutSeconds { get; init; }
    public int? RetentionSeconds { get; init; }
    public int? DelaySeconds { get; init; }
    public int? MaxReceiveCount { get; init; }
    public int? MaximumDepth { get; init; }

    public QueueConfig ToConfig(string name) => new()
    {
        Name = name,
        VisibilityTimeoutSeconds = VisibilityTimeoutSeconds,
        RetentionSeconds = RetentionSeconds ?? QueueConfig.DefaultRetentionSeconds,
        DelaySeconds = DelaySeconds ?? 0,
        MaxReceiveCount = MaxReceiveCount,
        MaximumDepth = MaximumDepth ?? QueueConfig.DefaultMaximumDepth,
    };

    public static QueueConfigRequest From(QueueConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new()
        {
            VisibilityTimeoutSeconds = config.VisibilityTimeoutSeconds,
            RetentionSeconds = config.RetentionSeconds,
            DelaySeconds = config.DelaySeconds,
            MaxReceiveCount = config.MaxReceiveCount,
            MaximumDepth = config.MaximumDepth,
        };
    }
}
