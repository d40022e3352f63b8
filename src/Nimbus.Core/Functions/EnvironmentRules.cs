using System.Text;
using System.Text.RegularExpressions;

namespace Nimbus.Core.Functions;

/// <summary>
/// Lambda's rules for a function's environment variables: keys match <c>[a-zA-Z]([a-zA-Z0-9_])+</c>, the keys and
/// values together take at most 4 KB (UTF-8), no value is null or contains NUL, and the variables the runtime sets
/// itself are reserved. A configuration that breaks them could never start a worker, so it is refused on write.
/// </summary>
public static partial class EnvironmentRules
{
    /// <summary>Lambda's limit on the total size of all keys and values, in bytes (UTF-8).</summary>
    public const int MaxTotalBytes = 4096;

    /// <summary>Lambda's reserved keys (its documentation's list) plus those Nimbus sets for every worker.</summary>
    public static readonly IReadOnlySet<string> ReservedKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_MAX_CONCURRENCY",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ", "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT",
    };

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9_]+$")]
    private static partial Regex KeyPattern();

    /// <summary>
    /// Checks every variable; errors name <c>{field}.{KEY}</c> (or <c>{field}</c> for the total size).
    /// Values may be null here although the type says otherwise: JSON <c>null</c> arrives that way.
    /// </summary>
    public static IReadOnlyList<ValidationError> Check(IReadOnlyDictionary<string, string>? environment, string field = "environment")
    {
        var errors = new List<ValidationError>();
        if (environment is null)
        {
            return errors;
        }

        long total = 0;
        foreach (var (key, value) in environment)
        {
            var name = $"{field}.{Truncated(key)}";
            if (!KeyPattern().IsMatch(key))
            {
                errors.Add(new(name, "is not a valid variable name"));
            }
            else if (ReservedKeys.Contains(key))
            {
                errors.Add(new(name, "is reserved by the platform"));
            }

            if (value is null)
            {
                errors.Add(new(name, "must be a string, not null"));
                continue;
            }

            if (value.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add(new(name, "must not contain a NUL character"));
            }

            total += Encoding.UTF8.GetByteCount(key) + (long)Encoding.UTF8.GetByteCount(value);
        }

        if (total > MaxTotalBytes)
        {
            errors.Add(new(field, $"takes {total} bytes (keys and values, UTF-8); at most {MaxTotalBytes} are allowed"));
        }

        return errors;
    }

    private static string Truncated(string key) => key.Length > 64 ? key[..64] + "…" : key;
}
