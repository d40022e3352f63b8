using System.Diagnostics;
using System.Globalization;
using Nimbus.Core.Functions;
using Nimbus.Core.Routing;

namespace Nimbus.Server.Runtime;

/// <summary>Builds the command line and environment of a worker process for each runtime.</summary>
public static class WorkerCommand
{
    public static ProcessStartInfo Build(
        ExecutionTarget target, string codeDirectory, string runtimesDirectory, int runtimePort, string instanceId,
        bool provisioned, string region, string? hostPath, IReadOnlyDictionary<string, string>? environment = null, string? sessionToken = null)
    {
        var config = target.Config;
        var startInfo = config.Runtime switch
        {
            RuntimeNames.Provided => ForExecutable(Path.Combine(codeDirectory, "bootstrap"), "bootstrap"),
            RuntimeNames.Node => Interpreted("node", Path.Combine(runtimesDirectory, "node", "bootstrap.js")),
            RuntimeNames.Python => Interpreted("python3", Path.Combine(runtimesDirectory, "python", "bootstrap.py")),
            RuntimeNames.Dotnet => Interpreted("dotnet", RequireFile(Path.Combine(codeDirectory, config.Handler + ".dll"),
                $"the package has no '{config.Handler}.dll': the handler of a dotnet function names its assembly")),
            _ => throw new WorkerLaunchException($"unknown runtime '{config.Runtime}'"),
        };

        startInfo.WorkingDirectory = codeDirectory;
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardInput = true;

        // A clean environment: the platform's own variables (credentials among them) never leak into functions.
        var env = startInfo.Environment;
        env.Clear();
        env["PATH"] = hostPath ?? "/usr/local/bin:/usr/bin:/bin";
        env["LANG"] = "C.UTF-8";
        env["HOME"] = "/tmp";
        env["TZ"] = ":UTC";
        foreach (var (key, value) in environment ?? config.Environment)
        {
            env[key] = value;
        }

        // The secrets extension's interface (docs/secrets.md): served on this instance's runtime port, authenticated
        // by the session token, as AWS's Parameters and Secrets extension is.
        env["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = runtimePort.ToString(CultureInfo.InvariantCulture);
        if (sessionToken is not null)
        {
            env["AWS_SESSION_TOKEN"] = sessionToken;
        }

        env["AWS_LAMBDA_RUNTIME_API"] = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{runtimePort}");
        env["_HANDLER"] = config.Handler;
        env["LAMBDA_TASK_ROOT"] = codeDirectory;
        env["LAMBDA_RUNTIME_DIR"] = runtimesDirectory;
        env["AWS_LAMBDA_FUNCTION_NAME"] = config.Name;
        env["AWS_LAMBDA_FUNCTION_VERSION"] = target.Version;
        env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = config.MemoryMb.ToString(CultureInfo.InvariantCulture);
        // Lambda Managed Instances' variable: how many invocations the runtime client may hold at once.
        env["AWS_LAMBDA_MAX_CONCURRENCY"] = config.EffectiveConcurrencyPerInstance.ToString(CultureInfo.InvariantCulture);
        env["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + config.Name;
        env["AWS_LAMBDA_LOG_STREAM_NAME"] = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy/MM/dd}/[{target.Version}]{instanceId}");
        env["AWS_LAMBDA_INITIALIZATION_TYPE"] = provisioned ? "provisioned-concurrency" : "on-demand";
        env["AWS_EXECUTION_ENV"] = "Nimbus_" + config.Runtime;
        env["AWS_REGION"] = region;
        env["AWS_DEFAULT_REGION"] = region;
        env["NIMBUS_INSTANCE_ID"] = instanceId;

        // Function-to-function calls and function spans go to the instance's own port (docs/design/tracing.md): the AWS
        // SDK's Lambda client calls Nimbus's Lambda API there, and the OpenTelemetry SDK exports OTLP/HTTP there.
        var own = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{runtimePort}");
        // A function's own setting wins (it may export elsewhere).
        env.TryAdd("AWS_ENDPOINT_URL_LAMBDA", own);
        env.TryAdd("OTEL_EXPORTER_OTLP_ENDPOINT", own);
        env.TryAdd("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", own + "/v1/traces");
        env.TryAdd("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
        env.TryAdd("OTEL_SERVICE_NAME", config.Name);
        if (config.Runtime == RuntimeNames.Dotnet)
        {
            env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            env["DOTNET_NOLOGO"] = "1";
            // Start fast: skip the tiered-PGO instrumentation tier that slows the first requests.
            env["DOTNET_TieredPGO"] = "0";
        }

        return startInfo;
    }

    private static ProcessStartInfo ForExecutable(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new WorkerLaunchException($"the package has no '{what}' at its root: a provided-runtime function needs an executable named bootstrap");
        }

        return new ProcessStartInfo(path);
    }

    private static ProcessStartInfo Interpreted(string interpreter, string script)
    {
        var startInfo = new ProcessStartInfo(interpreter);
        startInfo.ArgumentList.Add(script);
        return startInfo;
    }

    private static string RequireFile(string path, string message) =>
        File.Exists(path) ? path : throw new WorkerLaunchException(message);
}
