using System.Globalization;

namespace Nimbus.Functions.Runtime;

/// <summary>The worker's settings, as the platform passes them in environment variables.</summary>
internal sealed record RuntimeEnvironment(
    string RuntimeApi,
    string FunctionName,
    string FunctionVersion,
    int MemoryLimitMb,
    string? LogLevel)
{
    /// <summary>Lambda's invoke API for calls to other functions (<c>AWS_ENDPOINT_URL_LAMBDA</c>); null when not set.</summary>
    public Uri? LambdaEndpoint { get; init; }

    /// <summary>
    /// How many invocations this process serves at once (<c>AWS_LAMBDA_MAX_CONCURRENCY</c>, the function's
    /// <c>concurrencyPerInstance</c>): 1 when not set, at most 64.
    /// </summary>
    public int MaxConcurrency { get; init; } = 1;

    /// <summary>Reads the environment; null when <c>AWS_LAMBDA_RUNTIME_API</c> is missing (not started by a platform).</summary>
    public static RuntimeEnvironment? FromEnvironment()
    {
        var api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrWhiteSpace(api))
        {
            return null;
        }

        _ = int.TryParse(Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), NumberStyles.None,
            CultureInfo.InvariantCulture, out var memory);
        return new RuntimeEnvironment(
            api.Trim(),
            Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? "",
            Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION") ?? "$LATEST",
            memory,
            Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_LEVEL"))
        {
            MaxConcurrency = int.TryParse(Environment.GetEnvironmentVariable("AWS_LAMBDA_MAX_CONCURRENCY"), NumberStyles.None,
                CultureInfo.InvariantCulture, out var concurrency) ? Math.Clamp(concurrency, 1, 64) : 1,
            LambdaEndpoint = Uri.TryCreate(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_LAMBDA"), UriKind.Absolute, out var lambda) ? lambda : null,
        };
    }
}
