using Nimbus.Core.Events;
using Nimbus.Core.Queues;
using Nimbus.Core.Schedules;
using Nimbus.Core.Security.Policy;
using Nimbus.Core.Security.Secrets;

namespace Nimbus.Core.Functions;

/// <summary>
/// Checks a function configuration against the platform's limits. Pure. The API and the manifest reader both call
/// it, so whatever one accepts the other accepts. Input may carry nulls where the types say otherwise (JSON
/// <c>null</c> arrives that way); they are reported as errors, never dereferenced.
/// </summary>
public static class FunctionConfigValidator
{
    public const int MinMemoryMb = 64;
    public const int MaxMemoryMb = 10240;
    public const double MaxTimeoutSeconds = 900;

    /// <summary>Lambda's bounds for the ephemeral storage (<c>/tmp</c>) of a function, in MB.</summary>
    public const int MinEphemeralStorageMb = 512;
    public const int MaxEphemeralStorageMb = 10240;
    public const int MaxConcurrencyPerInstance = 64;

    /// <summary>Lambda's limit for a handler.</summary>
    public const int MaxHandlerLength = 128;

    /// <summary>Lambda's limit for the description of a function, version or alias.</summary>
    public const int MaxDescriptionLength = 256;

    public static bool IsValidName(string? name) => NameRules.IsValidFunctionName(name);

    public static IReadOnlyList<ValidationError> Validate(FunctionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<ValidationError>();
        if (NameRules.CheckFunctionName(config.Name) is { } nameError)
        {
            errors.Add(new("name", nameError));
        }

        if (!RuntimeNames.IsKnown(config.Runtime))
        {
            errors.Add(new("runtime", $"{NameRules.Shown(config.Runtime)} is not a runtime; use one of {string.Join(", ", RuntimeNames.All)}"));
        }
        else if (config.Runtime != RuntimeNames.Provided && string.IsNullOrWhiteSpace(config.Handler))
        {
            errors.Add(new("handler", config.Runtime == RuntimeNames.Dotnet
                ? "is required: the name of the function's assembly (e.g. 'HelloDotnet')"
                : "is required: 'file.export' (e.g. 'index.handler')"));
        }

        if (config.Handler is { Length: > 0 } handler && CheckHandler(handler) is { } handlerError)
        {
            errors.Add(new("handler", handlerError));
        }

        if (config.MemoryMb is < MinMemoryMb or > MaxMemoryMb)
        {
            errors.Add(new("memoryMb", $"must be between {MinMemoryMb} and {MaxMemoryMb}, was {config.MemoryMb}"));
        }

        if (config.EphemeralStorageMb is < MinEphemeralStorageMb or > MaxEphemeralStorageMb)
        {
            errors.Add(new("ephemeralStorage", $"must be between {MinEphemeralStorageMb} and {MaxEphemeralStorageMb} MB, was {config.EphemeralStorageMb}"));
        }

        if (double.IsNaN(config.TimeoutSeconds) || config.TimeoutSeconds <= 0 || config.TimeoutSeconds > MaxTimeoutSeconds)
        {
            errors.Add(new("timeoutSeconds", $"must be greater than 0 and at most {MaxTimeoutSeconds}, was {config.TimeoutSeconds}"));
        }

        if (config.ReservedConcurrency is < 0)
        {
            errors.Add(new("reservedConcurrency", "must be 0 (disabled) or more"));
        }

        if (config.ConcurrencyPerInstance is < 1 or > MaxConcurrencyPerInstance)
        {
            errors.Add(new("concurrencyPerInstance", $"must be between 1 and {MaxConcurrencyPerInstance}, was {config.ConcurrencyPerInstance}"));
        }
        else if (config.ConcurrencyPerInstance is > 1 && config.Runtime == RuntimeNames.Python)
        {
            errors.Add(new("concurrencyPerInstance",
                $"must be 1 for the {RuntimeNames.Python} runtime, was {config.ConcurrencyPerInstance}: its runtime client serves one invocation at a time (dotnet, node and provided can take more)"));
        }

        if (CheckDescription(config.Description) is { } descriptionError)
        {
            errors.Add(new("description", descriptionError));
        }

        errors.AddRange(EnvironmentRules.Check(config.Environment));
        errors.AddRange(RouteRules.Check(config.Routes));
        errors.AddRange(AsyncConfigValidator.Validate(config.Async));
        errors.AddRange(ScheduleConfigValidator.Validate(config.Schedules));
        errors.AddRange(Idempotency.IdempotencyConfigValidator.Validate(config.Idempotency));
        errors.AddRange(SecretReference.Check(config.Environment));
        errors.AddRange(PolicyRules.Check(config.Policy));
        errors.AddRange(Alarms.AlarmConfigs.Validate(config));
        errors.AddRange(Slos.SloConfigs.Validate(config));
        errors.AddRange(EventSourceConfigValidator.Validate(config.Sources));
        return errors;
    }

    /// <summary>Null when the description fits Lambda's limit (or is absent), else what is wrong.</summary>
    public static string? CheckDescription(string? description) =>
        description is { Length: > MaxDescriptionLength }
            ? $"is {description.Length} characters long; at most {MaxDescriptionLength} are allowed"
            : null;

    private static string? CheckHandler(string handler)
    {
        if (handler.Length > MaxHandlerLength)
        {
            return $"is {handler.Length} characters long; at most {MaxHandlerLength} are allowed";
        }

        foreach (var c in handler)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return $"must not contain whitespace or control characters, was {NameRules.Shown(handler)}";
            }
        }

        return null;
    }
}
