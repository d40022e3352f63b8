using Nimbus.Cli.Api;
using Nimbus.Cli.Arguments;

namespace Nimbus.Cli;

/// <summary>What a verb may touch of the outside world; tests give it string writers, a fixed clock and their own directory.</summary>
internal sealed class CliContext
{
    public static readonly Uri DefaultUrl = new("http://127.0.0.1:7700");

    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public Func<Stream> OpenInput { get; init; } = Console.OpenStandardInput;

    /// <summary>The value of <c>NIMBUS_URL</c>, if set.</summary>
    public string? EnvironmentUrl { get; init; }

    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Reads an environment variable; tests give their own.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public static CliContext FromConsole() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        EnvironmentUrl = Environment.GetEnvironmentVariable("NIMBUS_URL"),
    };

    /// <summary><c>--url</c>, else <c>NIMBUS_URL</c>, else the default address.</summary>
    public Uri ResolveUrl(ParsedCommand command)
    {
        var (text, source) = command.Option("url") is { } option
            ? (option, "--url")
            : string.IsNullOrWhiteSpace(EnvironmentUrl) ? (null, null) : (EnvironmentUrl, "NIMBUS_URL");
        if (text is null)
        {
            return DefaultUrl;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new UsageException($"invalid server address '{text}' from {source}: expected http://host:port");
    }

    public ApiClient CreateClient(ParsedCommand command) => ApiClient.Create(ResolveUrl(command));

    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
