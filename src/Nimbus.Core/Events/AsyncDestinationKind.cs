namespace Nimbus.Core.Events;

public enum AsyncDestinationKind
{
    DeadLetterQueue,
    Function,
    Webhook,
    Queue,
}
