using Microsoft.Extensions.Time.Testing;

namespace Nimbus.Server.Tests.Runtime;

/// <summary>
/// Fake time whose timers fire on <see cref="FakeTimeProvider.Advance"/>, and that can run an action when a timer of a
/// given due time is created: a point in the code under test to interleave an event at.
/// </summary>
internal sealed class HookedTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private (TimeSpan DueTime, Action Action)? _hook;
    private readonly object _gate = new();

    /// <summary>Runs <paramref name="action"/> once, when the next timer due after <paramref name="dueTime"/> is created.</summary>
    public void BeforeTimer(TimeSpan dueTime, Action action)
    {
        lock (_gate)
        {
            _hook = (dueTime, action);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Action? run = null;
        lock (_gate)
        {
            if (_hook is { } hook && hook.DueTime == dueTime)
            {
                run = hook.Action;
                _hook = null;
            }
        }

        run?.Invoke();
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
