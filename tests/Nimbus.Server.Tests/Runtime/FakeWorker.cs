using System.Text;
using Nimbus.Core.Invocations;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Tests.Runtime;

/// <summary>
/// Plays the worker process behind one instance, the way a runtime client talks to the runtime API
/// (<see cref="RuntimeApiHandler"/>): asking for the next invocation (the first ask means ready), answering, reporting
/// an error, failing init, exiting.
/// </summary>
internal sealed class FakeWorker
{
    private readonly Action<Instance, int> _onExited;
    private int _exited;
    private int _kills;

    public FakeWorker(Instance instance, Action<Instance, int> onExited)
    {
        Instance = instance;
        _onExited = onExited;
    }

    public Instance Instance { get; }
    public int Kills => Volatile.Read(ref _kills);
    public bool HasExited => Volatile.Read(ref _exited) != 0;

    /// <summary><c>GET invocation/next</c>: marks init done on the first call, then waits for work (null: stopping).</summary>
    public Task<Invocation?> AskForNext()
    {
        Instance.MarkInitialized();
        return Instance.WaitForNextAsync();
    }

    /// <summary>Asks for work and waits (real time, as a guard against a hang) until it arrives.</summary>
    public async Task<Invocation> NextAsync()
    {
        var invocation = await AskForNext().WaitAsync(TestGuard.Timeout);
        Assert.True(invocation is not null, $"instance {Instance.Id}: expected an invocation, the instance is stopping");
        Instance.Logs.Owner = invocation;
        return invocation;
    }

    /// <summary><c>POST invocation/{id}/response</c>.</summary>
    public void Respond(Invocation invocation, string body)
    {
        Assert.Same(invocation, Instance.FindInFlight(invocation.RequestId));
        invocation.TryComplete(InvocationOutcome.Success, Encoding.UTF8.GetBytes(body), null);
    }

    /// <summary><c>POST invocation/{id}/error</c>.</summary>
    public void ReportError(Invocation invocation, string errorType, string message)
    {
        Assert.Same(invocation, Instance.FindInFlight(invocation.RequestId));
        invocation.TryComplete(InvocationOutcome.FunctionError, LambdaError.Serialize(errorType, message), errorType);
    }

    /// <summary><c>POST init/error</c>.</summary>
    public void FailInit(string errorType, string message) => Instance.FailInit(errorType, message);

    /// <summary>The process ends; the launcher reports it once.</summary>
    public void Exit(int exitCode)
    {
        if (Interlocked.Exchange(ref _exited, 1) == 0)
        {
            _onExited(Instance, exitCode);
        }
    }

    public void CountKill() => Interlocked.Increment(ref _kills);
}
