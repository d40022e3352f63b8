namespace Nimbus.Cli.Output;

/// <summary>Standard output could not be written (a full disk, a device error): one line and exit 1, not a stack trace.</summary>
internal sealed class OutputWriteException(IOException cause)
    : CliException($"cannot write output: {cause.Message}", ExitCodes.Failed);
