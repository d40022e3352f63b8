using Nimbus.Cli.Api;
using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli;

/// <summary>What a verb may touch of the outside world; tests give it string writers, a fixed clock and their own directory.</summary>
internal sealed class CliContext
{
    public static readonly Uri DefaultUrl = new("http://127.0.0.1:7700");

    /// <summary>The longest <c>--timeout</c> accepted (a function runs for at most 900 s).</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    private readonly TextWriter _out = TextWriter.Null;
    private readonly Stream _outStream = Stream.Null;

    /// <summary>Standard output as text. A failed write (a full disk, a closed pipe) becomes <see cref="OutputWriteException"/>.</summary>
    public required TextWriter Out
    {
        get => _out;
        init => _out = new GuardedTextWriter(value);
    }

    /// <summary>
    /// Standard output as bytes, for payloads that must pass through unchanged (<c>nimbus invoke</c>). Flush
    /// <see cref="Out"/> before writing here so that text and bytes keep their order.
    /// </summary>
    public required Stream OutStream
    {
        get => _outStream;
        init => _outStream = new GuardedStream(value);
    }

    /// <summary>True when stdout is a terminal (not redirected): only then does invoke end a response with a newline.</summary>
    public bool OutputIsTerminal { get; init; }

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
        OutStream = Console.OpenStandardOutput(),
        OutputIsTerminal = !Console.IsOutputRedirected,
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

    /// <summary><c>--timeout</c>: a positive duration up to <see cref="MaxTimeout"/>, or null when not given.</summary>
    public static TimeSpan? ResolveTimeout(ParsedCommand command)
    {
        var timeout = command.DurationOption("timeout");
        return timeout is null || (timeout > TimeSpan.Zero && timeout <= MaxTimeout)
            ? timeout
            : throw command.Invalid("--timeout", command.Option("timeout")!, "expected a positive duration of at most 1d, such as 10s or 5m");
    }

    public ApiClient CreateClient(ParsedCommand command)
    {
        var url = ResolveUrl(command);
        return ApiClient.Create(url, ResolveTimeout(command), Time, Auth.CredentialResolver.Resolve(url, this));
    }

    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
