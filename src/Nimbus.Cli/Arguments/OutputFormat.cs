namespace Nimbus.Cli.Arguments;

public enum OutputFormat
{
    Text,
    Json,
}
