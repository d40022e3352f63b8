namespace Nimbus.Cli.Arguments;

/// <summary>The command line is wrong: unknown verb or option, missing or malformed argument (exit code 2).</summary>
internal sealed class UsageException(string message) : CliException(message, ExitCodes.Usage);
