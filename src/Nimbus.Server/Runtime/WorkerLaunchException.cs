namespace Nimbus.Server.Runtime;

/// <summary>The platform could not start a worker process (missing bootstrap, bad package). Reaches the caller as an init error.</summary>
public sealed class WorkerLaunchException : Exception
{
    public WorkerLaunchException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
