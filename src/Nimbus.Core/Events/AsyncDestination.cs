using System.Diagnostics.CodeAnalysis;
using Nimbus.Core.Functions;
using Nimbus.Core.Queues;

namespace Nimbus.Core.Events;

/// <summary>A parsed destination: <c>dlq</c>, <c>function:NAME</c>, <c>queue:NAME</c> or <c>webhook:https://...</c>.</summary>
public sealed record AsyncDestination(AsyncDestinationKind Kind, string Target)
{
    public static readonly AsyncDestination DeadLetterQueue = new(AsyncDestinationKind.DeadLetterQueue, "");

    public static bool TryParse(string text, [NotNullWhen(true)] out AsyncDestination? destination, out string problem)
    {
        destination = null;
        problem = "";
        if (text == "dlq")
        {
            destination = DeadLetterQueue;
            return true;
        }

        if (text.StartsWith("function:", StringComparison.Ordinal))
        {
            var name = text["function:".Length..];
            if (!FunctionConfigValidator.IsValidName(name))
            {
                problem = $"'{text}' names no valid function: after 'function:' give 1-64 letters, digits, '-' or '_'";
                return false;
            }

            destination = new(AsyncDestinationKind.Function, name);
            return true;
        }

        if (text.StartsWith("queue:", StringComparison.Ordinal))
        {
            var queue = text["queue:".Length..];
            if (!QueueNames.IsValid(queue))
            {
                problem = $"'{text}' names no valid queue: after 'queue:' give 1-{QueueNames.MaxLength} letters, digits, '-' or '_'";
                return false;
            }

            destination = new(AsyncDestinationKind.Queue, queue);
            return true;
        }

        if (text.StartsWith("webhook:", StringComparison.Ordinal))
        {
            var url = text["webhook:".Length..];
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                problem = $"'{text}' has no http(s) URL after 'webhook:'";
                return false;
            }

            destination = new(AsyncDestinationKind.Webhook, url);
            return true;
        }

        problem = $"'{text}' is not a destination; use dlq, function:NAME, queue:NAME or webhook:URL";
        return false;
    }
}
