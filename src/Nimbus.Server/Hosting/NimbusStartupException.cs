namespace Nimbus.Server.Hosting;

/// <summary>The platform could not start (port in use, data directory not writable); the message says what to do.</summary>
public sealed class NimbusStartupException : Exception
{
    public NimbusStartupException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
