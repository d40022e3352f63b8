using Nimbus.Core.Events;

namespace Nimbus.Server.Events;

/// <summary>
/// Runs one attempt of an event. The platform's implementation is <see cref="FrontDoorEventInvoker"/> (the
/// <see cref="Invocations.Invoker"/>); the seam lets the processor's retry timing be tested with a fake clock.
/// </summary>
public interface IAsyncEventInvoker
{
    Task<AsyncAttemptResult> InvokeAsync(AsyncEvent item, CancellationToken cancellationToken);
}
