using Nimbus.Cli.Api;
using Nimbus.Cli.Arguments;
using Nimbus.Cli.Deploy;
using Nimbus.Cli.Packaging;
using Nimbus.Core.Manifest;
using Nimbus.Core.Telemetry;
using Nimbus.Server.Hosting;

namespace Nimbus.Cli.Commands;

internal static class UpCommand
{
    /// <summary>Time allowed to the graceful stop beyond the server's own shutdown timeout, before giving up on it.</summary>
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(5);

    public const string AccessKeyVariable = "NIMBUS_LAMBDA_ACCESS_KEY_ID";
    public const string SecretKeyVariable = "NIMBUS_LAMBDA_SECRET_ACCESS_KEY";
    public const string UnsandboxedVariable = "NIMBUS_UNSANDBOXED";

    public static readonly CommandSpec Spec = new(
        "up",
        "Run the Nimbus platform in this process until Ctrl+C",
        [],
        [
            new OptionSpec("port", "p", "N", $"Port of the gateway and API (default {NimbusServerOptions.DefaultPort}; 0 picks a free one)"),
            new OptionSpec("data-dir", null, "DIR", "Where state, packages and code are kept (default ./.nimbus)"),
            new OptionSpec("idle-timeout", null, "DURATION", "Stop instances idle this long (default 300s)"),
            new OptionSpec("max-instances", null, "N", "Most worker instances across all functions (default 64)"),
            new OptionSpec("log-retention", null, "DURATION", "Delete function logs older than this (default 7d)"),
            new OptionSpec("log-max-size", null, "SIZE", "Keep function logs under this size, deleting the oldest first (default 1GB)"),
            new OptionSpec("invocation-retention", null, "DURATION", "Delete invocation records older than this (default 7d)"),
            new OptionSpec("invocation-max-records", null, "N", "Keep at most this many invocation records, deleting the oldest first (default 1000000)"),
            new OptionSpec("deploy", null, "FILE", "Deploy this manifest once the platform is up"),
            new OptionSpec("lambda-access-key", null, "ID", $"Also accept this access key id (role invoker) for SigV4-signed calls (or {AccessKeyVariable})"),
            new OptionSpec("otlp-endpoint", null, "URL", "Export metrics over OTLP/HTTP to this collector, e.g. http://127.0.0.1:4318"),
            new OptionSpec("lambda-secret-key", null, "SECRET", $"The secret access key that goes with --lambda-access-key (or {SecretKeyVariable})"),
            new OptionSpec("unsandboxed", null, null, $"Run functions without the sandbox, as this user, beside the platform's data (or {UnsandboxedVariable}=1)"),
            new OptionSpec("no-telemetry", null, null, "Record no logs, invocation records, metrics or error groups (to measure the platform without them)"),
            new OptionSpec("tls-cert", null, "FILE", "Serve HTTPS with this PEM certificate (with --tls-key)"),
            new OptionSpec("tls-key", null, "FILE", "The PEM private key of --tls-cert"),
        ],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var options = BuildOptions(command, context);

        // An invalid manifest is reported before anything starts.
        var manifestFile = command.Option("deploy");
        var manifest = manifestFile is null ? null : ManifestLoader.Load(context.FullPath(manifestFile), manifestFile, context.Error);

        NimbusServer started;
        try
        {
            started = await NimbusServer.StartAsync(options, cancellationToken);
        }
        catch (NimbusStartupException e)
        {
            throw new CliException(e.Message, ExitCodes.Failed);
        }

        await using var server = started;
        WriteBanner(context.Out, server.BaseAddress, options);

        if (manifest is not null)
        {
            await DeployAsync(manifest, manifestFile!, server.BaseAddress, server.AdminToken, context, cancellationToken);
        }

        var stopRequested = Task.Delay(Timeout.Infinite, cancellationToken);
        await Task.WhenAny(server.Completion, stopRequested);
        if (server.Completion.IsCompleted)
        {
            await server.Completion;
            return ExitCodes.Success;
        }

        context.Error.WriteLine("nimbus: stopping: finishing in-flight invocations (Ctrl+C again to stop at once)");
        using var stopTimeout = new CancellationTokenSource(options.ShutdownTimeout + s_stopGrace);
        await server.StopAsync(stopTimeout.Token);
        context.Error.WriteLine("nimbus: stopped");
        return ExitCodes.Success;
    }

    internal static NimbusServerOptions BuildOptions(ParsedCommand command, CliContext context)
    {
        var defaults = new NimbusServerOptions();
        var idleTimeout = command.DurationOption("idle-timeout") ?? defaults.IdleTimeout;
        if (idleTimeout <= TimeSpan.Zero)
        {
            throw command.Invalid("--idle-timeout", command.Option("idle-timeout")!, "expected a positive duration");
        }

        return defaults with
        {
            Port = command.IntOption("port", 0, 65535) ?? defaults.Port,
            DataDirectory = context.FullPath(command.Option("data-dir") ?? defaults.DataDirectory),
            IdleTimeout = idleTimeout,
            RecordTelemetry = !command.Flag("no-telemetry"),
            MaxInstances = command.IntOption("max-instances", 1, 100_000) ?? defaults.MaxInstances,
            LambdaCredentials = LambdaCredentials(command, context) ?? defaults.LambdaCredentials,
            LogRetention = new RetentionPolicy(
                PositiveDuration(command, "log-retention") ?? defaults.LogRetention.MaxAge,
                Size(command, "log-max-size") ?? defaults.LogRetention.MaxBytes,
                defaults.LogRetention.MaxRows),
            InvocationRetention = new RetentionPolicy(
                PositiveDuration(command, "invocation-retention") ?? defaults.InvocationRetention.MaxAge,
                defaults.InvocationRetention.MaxBytes,
                command.IntOption("invocation-max-records", 1, int.MaxValue) ?? defaults.InvocationRetention.MaxRows),
            OtlpEndpoint = OtlpEndpoint(command),
            Unsandboxed = command.Flag("unsandboxed") || context.GetEnvironmentVariable(UnsandboxedVariable) == "1",
            SandboxSharedDirectories = (context.GetEnvironmentVariable("NIMBUS_SANDBOX_SHARED_DIRS") ?? "")
                .Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(context.FullPath).ToArray(),
            TlsCertificatePath = command.Option("tls-cert") is { } cert ? context.FullPath(cert) : null,
            TlsKeyPath = command.Option("tls-key") is { } key ? context.FullPath(key) : null,
        };
    }

    private static TimeSpan? PositiveDuration(ParsedCommand command, string name)
    {
        var duration = command.DurationOption(name);
        return duration <= TimeSpan.Zero ? throw command.Invalid($"--{name}", command.Option(name)!, "expected a positive duration") : duration;
    }

    private static long? Size(ParsedCommand command, string name)
    {
        var text = command.Option(name);
        if (text is null)
        {
            return null;
        }

        return ByteSize.TryParse(text, out var bytes) ? bytes : throw command.Invalid($"--{name}", text, "expected a size such as 500MB or 2GB");
    }

    private static Uri? OtlpEndpoint(ParsedCommand command)
    {
        var text = command.Option("otlp-endpoint");
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw command.Invalid("--otlp-endpoint", text, "expected an http:// or https:// collector address such as http://127.0.0.1:4318");
    }

    /// <summary>Both the key id and the secret, from options or else the environment, or neither.</summary>
    private static Dictionary<string, string>? LambdaCredentials(ParsedCommand command, CliContext context)
    {
        var accessKey = command.Option("lambda-access-key") ?? context.GetEnvironmentVariable(AccessKeyVariable);
        var secretKey = command.Option("lambda-secret-key") ?? context.GetEnvironmentVariable(SecretKeyVariable);
        if (string.IsNullOrEmpty(accessKey) && string.IsNullOrEmpty(secretKey))
        {
            return null;
        }

        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
        {
            throw new UsageException(
                $"give both --lambda-access-key ({AccessKeyVariable}) and --lambda-secret-key ({SecretKeyVariable}), or neither (keys from `nimbus keys create` work either way)");
        }

        return new Dictionary<string, string>(StringComparer.Ordinal) { [accessKey] = secretKey };
    }

    private static void WriteBanner(TextWriter output, Uri address, NimbusServerOptions options)
    {
        var url = address.ToString().TrimEnd('/');
        var urlOption = url == CliContext.DefaultUrl.ToString().TrimEnd('/') ? "" : $" --url {url}";
        output.WriteLine($"Nimbus is up at {url}  (data in {options.DataDirectory})");
        output.WriteLine($"  admin token in {Server.Security.AdminToken.PathIn(options.DataDirectory)} (the CLI on this machine uses it)");
        output.WriteLine();
        output.WriteLine($"  deploy:  nimbus deploy -f nimbus.yaml{urlOption}");
        output.WriteLine($"  invoke:  nimbus invoke NAME --payload '{{\"hello\":\"world\"}}'{urlOption}");
        output.WriteLine($"           curl -X POST {url}/api/v1/functions/NAME/invoke -H \"Authorization: Bearer $(cat {Server.Security.AdminToken.PathIn(options.DataDirectory)})\" -d '{{}}'");
        output.WriteLine($"  logs:    nimbus logs NAME --follow{urlOption}");
        output.WriteLine($"  aws:     nimbus keys create --role invoker{urlOption}, then aws lambda invoke --endpoint-url {url} --function-name NAME out.json");
        output.WriteLine();
        output.WriteLine("Press Ctrl+C to stop.");
        output.Flush();
    }

    /// <summary>A failed deploy leaves the platform running: fix the manifest or code and run <c>nimbus deploy</c>.</summary>
    private static async Task DeployAsync(NimbusManifest manifest, string manifestFile, Uri address, string token, CliContext context, CancellationToken cancellationToken)
    {
        using var api = ApiClient.Create(address, token: token);
        try
        {
            var deployer = new ManifestDeployer(api, new FunctionPackager(context.Error), context.Error, manifestFile);
            var count = await deployer.DeployAsync(manifest, null, cancellationToken);
            context.Error.WriteLine($"deployed {count} function{(count == 1 ? "" : "s")}");
        }
        catch (CliException e)
        {
            context.Error.WriteLine($"nimbus: deploy failed: {e.Message} (the platform keeps running)");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C during the deploy: fall through to the graceful stop.
        }
    }
}
