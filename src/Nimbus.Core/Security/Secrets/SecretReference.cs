using Nimbus.Core.Functions;

namespace Nimbus.Core.Security.Secrets;

/// <summary>
/// An environment value <c>secret:NAME</c>: the platform puts the secret's current value there when an instance
/// starts, if the function's policy allows <c>secret:read</c> on NAME.
/// </summary>
public static class SecretReference
{
    public const string Prefix = "secret:";

    /// <summary>The secret's name when <paramref name="value"/> is a reference, else null.</summary>
    public static string? NameOf(string? value) =>
        value is not null && value.StartsWith(Prefix, StringComparison.Ordinal) ? value[Prefix.Length..] : null;

    /// <summary>The environment variables that are references, by variable name.</summary>
    public static IReadOnlyList<(string Variable, string Secret)> In(IReadOnlyDictionary<string, string> environment)
    {
        List<(string, string)>? found = null;
        foreach (var (key, value) in environment)
        {
            if (NameOf(value) is { } secret)
            {
                (found ??= []).Add((key, secret));
            }
        }

        return found ?? (IReadOnlyList<(string, string)>)[];
    }

    /// <summary>Errors for references whose name could never be a secret's (<c>environment.KEY</c>).</summary>
    public static IReadOnlyList<ValidationError> Check(IReadOnlyDictionary<string, string>? environment, string field = "environment")
    {
        var errors = new List<ValidationError>();
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            if (NameOf(value) is { } secret && SecretNames.Check(secret) is { } problem)
            {
                errors.Add(new($"{field}.{key}", $"refers to a secret whose name {problem}"));
            }
        }

        return errors;
    }
}
