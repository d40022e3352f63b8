using System.Globalization;

namespace Nimbus.Core.Functions;

/// <summary>What an alias may point at. Pure: the caller says which versions exist.</summary>
public static class AliasRules
{
    /// <summary>
    /// Checks an alias declaration. On success <paramref name="alias"/> is the record to store (its time is
    /// <paramref name="now"/>); otherwise it is null and the errors say why.
    /// </summary>
    /// <param name="version">The alias's main version, as text (as in Lambda's API).</param>
    /// <param name="additionalWeights">At most one entry: a second version and the share of traffic it gets, in [0, 1).</param>
    public static IReadOnlyList<ValidationError> Validate(
        string functionName,
        string? aliasName,
        string? version,
        IReadOnlyDictionary<string, double>? additionalWeights,
        string? description,
        Func<int, bool> versionExists,
        DateTimeOffset now,
        out AliasRecord? alias)
    {
        ArgumentNullException.ThrowIfNull(versionExists);
        alias = null;
        var errors = new List<ValidationError>();
        if (NameRules.CheckAliasName(aliasName) is { } nameError)
        {
            errors.Add(new("alias", nameError));
        }

        var main = 0;
        if (version is null || !Qualifier.IsVersionNumber(version, out main))
        {
            errors.Add(new("version", $"{NameRules.Shown(version)} is not a version number (aliases point at published versions, not $LATEST)"));
        }
        else if (!versionExists(main))
        {
            errors.Add(new("version", $"version {main} of '{functionName}' does not exist"));
        }

        int? extraVersion = null;
        double weight = 0;
        if (additionalWeights is { Count: > 0 })
        {
            if (additionalWeights.Count > 1)
            {
                errors.Add(new("additionalVersionWeights", "may name one additional version only"));
            }

            var (key, value) = additionalWeights.First();
            if (key is null || !Qualifier.IsVersionNumber(key, out var extra))
            {
                errors.Add(new("additionalVersionWeights", $"{NameRules.Shown(key)} is not a version number"));
            }
            else if (!versionExists(extra))
            {
                errors.Add(new("additionalVersionWeights", $"version {extra} of '{functionName}' does not exist"));
            }
            else if (extra == main)
            {
                errors.Add(new("additionalVersionWeights", "must name a version other than the alias's main version"));
            }
            else
            {
                extraVersion = extra;
            }

            if (double.IsNaN(value) || value < 0 || value >= 1)
            {
                errors.Add(new("additionalVersionWeights", string.Create(CultureInfo.InvariantCulture, $"weight must be at least 0 and less than 1, was {value}")));
            }

            weight = value;
        }

        if (FunctionConfigValidator.CheckDescription(description) is { } descriptionError)
        {
            errors.Add(new("description", descriptionError));
        }

        if (errors.Count == 0)
        {
            alias = new AliasRecord(functionName, aliasName!, main, extraVersion, extraVersion is null ? 0 : weight, description, now);
        }

        return errors;
    }
}
