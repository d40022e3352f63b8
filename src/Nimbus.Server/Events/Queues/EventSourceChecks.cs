using Nimbus.Core.Functions;
using Nimbus.Core.Queues;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Events.Queues;

/// <summary>
/// The checks of a function's sources that need the store: each queue exists, and its visibility timeout is at least
/// the function's timeout. Run before the function is written; the queue side runs the same check on a queue's change.
/// </summary>
public static class EventSourceChecks
{
    public static async Task<IReadOnlyList<ValidationError>> CheckAsync(FunctionConfig config, SqliteQueueStore queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(queues);
        var errors = new List<ValidationError>();
        var sources = config.Sources ?? [];
        for (var i = 0; i < sources.Count; i++)
        {
            var field = $"sources[{i}].queue";
            if (await queues.GetQueueAsync(sources[i].Queue, cancellationToken).ConfigureAwait(false) is not { } queue)
            {
                errors.Add(new(field, $"queue '{sources[i].Queue}' does not exist; declare it under 'queues:' in nimbus.yaml or create it with PUT /api/v1/queues/{sources[i].Queue}"));
            }
            else if (QueueConfigValidator.CheckConsumer(queue, config.Name, config.TimeoutSeconds) is { } problem)
            {
                errors.Add(new(field, problem));
            }
        }

        return errors;
    }

    /// <summary>The consumers a queue change would break: functions whose timeout outlasts the new visibility timeout.</summary>
    public static IReadOnlyList<ValidationError> CheckConsumers(QueueConfig queue, IEnumerable<FunctionConfig> functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        return
        [
            .. functions
                .Where(f => (f.Sources ?? []).Any(s => s.Queue == queue.Name))
                .Select(f => QueueConfigValidator.CheckConsumer(queue, f.Name, f.TimeoutSeconds))
                .OfType<string>()
                .Select(problem => new ValidationError("visibilityTimeoutSeconds", problem)),
        ];
    }
}
