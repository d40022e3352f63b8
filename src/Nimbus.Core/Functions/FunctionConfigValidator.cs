using System.Text.RegularExpressions;
using Nimbus.Core.Events;
using Nimbus.Core.Routing;

namespace Nimbus.Core.Functions;

/// <summary>Checks a function configuration against the platform's limits. Pure.</summary>
public static partial class FunctionConfigValidator
{
    public const int MinMemoryMb = 64;
    public const int MaxMemoryMb = 10240;
    public const double MaxTimeoutSeconds = 900;

    private static readonly HashSet<string> s_methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"];

    private static readonly HashSet<string> s_reservedVariables =
    [
        "_HANDLER", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "AWS_LAMBDA_RUNTIME_API", "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_INITIALIZATION_TYPE", "_X_AMZN_TRACE_ID",
    ];

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariablePattern();

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    public static IReadOnlyList<ValidationError> Validate(FunctionConfig config)
    {
        var errors = new List<ValidationError>();
        if (!IsValidName(config.Name))
        {
            errors.Add(new("name", "must be 1-64 characters of letters, digits, '-' or '_'"));
        }

        if (!RuntimeNames.IsKnown(config.Runtime))
        {
            errors.Add(new("runtime", $"'{config.Runtime}' is not a runtime; use one of {string.Join(", ", RuntimeNames.All)}"));
        }
        else if (config.Runtime != RuntimeNames.Provided && string.IsNullOrWhiteSpace(config.Handler))
        {
            errors.Add(new("handler", config.Runtime == RuntimeNames.Dotnet
                ? "is required: the name of the function's assembly (e.g. 'HelloDotnet')"
                : "is required: 'file.export' (e.g. 'index.handler')"));
        }

        if (config.MemoryMb is < MinMemoryMb or > MaxMemoryMb)
        {
            errors.Add(new("memoryMb", $"must be between {MinMemoryMb} and {MaxMemoryMb}, was {config.MemoryMb}"));
        }

        if (double.IsNaN(config.TimeoutSeconds) || config.TimeoutSeconds <= 0 || config.TimeoutSeconds > MaxTimeoutSeconds)
        {
            errors.Add(new("timeoutSeconds", $"must be greater than 0 and at most {MaxTimeoutSeconds}, was {config.TimeoutSeconds}"));
        }

        if (config.ReservedConcurrency is < 0)
        {
            errors.Add(new("reservedConcurrency", "must be 0 (disabled) or more"));
        }

        foreach (var (key, _) in config.Environment)
        {
            if (!VariablePattern().IsMatch(key))
            {
                errors.Add(new($"environment.{key}", "is not a valid variable name"));
            }
            else if (s_reservedVariables.Contains(key))
            {
                errors.Add(new($"environment.{key}", "is reserved by the platform"));
            }
        }

        for (var i = 0; i < config.Routes.Count; i++)
        {
            var route = config.Routes[i];
            if (!s_methods.Contains(route.Method))
            {
                errors.Add(new($"routes[{i}].method", $"'{route.Method}' is not one of {string.Join(", ", s_methods)}"));
            }

            if (!RouteTemplate.TryParse(route.Path, out _, out var pathError))
            {
                errors.Add(new($"routes[{i}].path", pathError));
            }
            else if (route.Path.StartsWith("/api/", StringComparison.Ordinal) || route.Path.StartsWith("/2015-03-31/", StringComparison.Ordinal))
            {
                errors.Add(new($"routes[{i}].path", "must not start with '/api/' or '/2015-03-31/' (reserved for the platform)"));
            }
        }

        errors.AddRange(AsyncConfigValidator.Validate(config.Async));
        return errors;
    }
}
