namespace Nimbus.Cli.Arguments;

/// <summary>Options shared by the client verbs.</summary>
internal static class CommonOptions
{
    public static readonly OptionSpec Url = new(
        "url", null, "URL", "Nimbus server address (default: $NIMBUS_URL, else http://127.0.0.1:7700)");

    public static readonly OptionSpec Timeout = new(
        "timeout", null, "DURATION", "Give up on a request after this long (default 30s; invoke: the function's timeout + 30s)");

    public static readonly OptionSpec Output = new("output", "o", "text|json", "Output format (default text)");
}
