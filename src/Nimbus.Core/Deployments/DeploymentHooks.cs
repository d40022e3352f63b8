using Nimbus.Core.Functions;

namespace Nimbus.Core.Deployments;

/// <summary>
/// The functions run before traffic moves (<see cref="PreTraffic"/>) and after it has all moved
/// (<see cref="PostTraffic"/>); each must report within <see cref="Timeout"/> or the deployment rolls back.
/// </summary>
public sealed record DeploymentHooks(string? PreTraffic, string? PostTraffic, TimeSpan Timeout)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    public static DeploymentHooks None { get; } = new(null, null, DefaultTimeout);

    /// <summary>Checks hook settings as the user wrote them; <paramref name="timeout"/> null means the default.</summary>
    public static IReadOnlyList<ValidationError> Validate(string? preTraffic, string? postTraffic, string? timeout, out DeploymentHooks? hooks)
    {
        hooks = null;
        var errors = new List<ValidationError>();
        if (preTraffic is not null && NameRules.CheckFunctionName(preTraffic) is { } preError)
        {
            errors.Add(new("hooks.preTraffic", preError));
        }

        if (postTraffic is not null && NameRules.CheckFunctionName(postTraffic) is { } postError)
        {
            errors.Add(new("hooks.postTraffic", postError));
        }

        var limit = DefaultTimeout;
        if (timeout is not null)
        {
            if (!DurationText.TryParse(timeout, out limit, out var error))
            {
                errors.Add(new("hooks.timeout", $"'{timeout}' {error}"));
            }
            else if (limit <= TimeSpan.Zero || limit > MaxTimeout)
            {
                errors.Add(new("hooks.timeout", $"'{timeout}' is out of range: more than 0s and at most 1h"));
            }
        }

        if (errors.Count == 0)
        {
            hooks = new(preTraffic, postTraffic, limit);
        }

        return errors;
    }
}
