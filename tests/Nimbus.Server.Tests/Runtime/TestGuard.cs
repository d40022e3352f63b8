namespace Nimbus.Server.Tests.Runtime;

/// <summary>
/// A real-time bound on waiting for an event that must happen: it only turns a hang into a failure. No test waits for
/// it to pass; fake time drives every platform timer.
/// </summary>
internal static class TestGuard
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
}
