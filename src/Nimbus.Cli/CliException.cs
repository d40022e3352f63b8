namespace Nimbus.Cli;

/// <summary>
/// A failure the user must see as one line (<c>nimbus: message</c>) with a given exit code.
/// Thrown deep inside a verb so that every failure leaves through the single exit point in <see cref="CliApp"/>.
/// </summary>
internal class CliException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
