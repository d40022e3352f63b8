namespace Nimbus.Server.Hosting;

/// <summary>Starts and stops the platform in this process (what <c>nimbus up</c> hosts).</summary>
public sealed partial class NimbusServer : IAsyncDisposable
{
    /// <summary>The gateway and management API address, e.g. <c>http://127.0.0.1:7700</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Completes when the server has stopped (after <see cref="StopAsync"/> or a signal).</summary>
    public Task Completion => _completion.Task;

    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
