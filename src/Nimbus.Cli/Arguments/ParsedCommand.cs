using System.Globalization;

namespace Nimbus.Cli.Arguments;

/// <summary>A command line matched against a verb. Accessors validate values and throw <see cref="UsageException"/>.</summary>
internal sealed class ParsedCommand(
    CommandSpec command,
    IReadOnlyDictionary<string, string> arguments,
    IReadOnlyDictionary<string, IReadOnlyList<string>> options)
{
    public CommandSpec Command { get; } = command;

    public IReadOnlyDictionary<string, string> Arguments { get; } = arguments;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Options { get; } = options;

    public string Argument(string name) =>
        Arguments.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"'{Command.Name}' has no argument {name}.");

    /// <summary>An optional argument's value, or null when it was not given.</summary>
    public string? OptionalArgument(string name) => Arguments.GetValueOrDefault(name);

    public bool Flag(string name) => Options.ContainsKey(name);

    public string? Option(string name) => Options.TryGetValue(name, out var values) ? values[^1] : null;

    public IReadOnlyList<string> OptionValues(string name) => Options.TryGetValue(name, out var values) ? values : [];

    public int? IntOption(string name, int min, int max)
    {
        var text = Option(name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Invalid($"--{name}", text, $"expected a whole number from {min} to {max}");
    }

    public int IntArgument(string name, int min, int max)
    {
        var text = Argument(name);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Invalid(name, text, $"expected a whole number from {min} to {max}");
    }

    public TimeSpan? DurationOption(string name)
    {
        var text = Option(name);
        if (text is null)
        {
            return null;
        }

        return DurationParser.TryParse(text, out var value)
            ? value
            : throw Invalid($"--{name}", text, "expected a duration such as 300s, 10m, 2h, 1d or PT5M");
    }

    public OutputFormat Output => Option("output") switch
    {
        null or "text" => OutputFormat.Text,
        "json" => OutputFormat.Json,
        var other => throw Invalid("--output", other, "expected text or json"),
    };

    public UsageException Invalid(string what, string value, string expected) =>
        new($"invalid value '{value}' for {what}: {expected} (see 'nimbus {Command.Name} --help')");
}
