using System.Text.RegularExpressions;

namespace Nimbus.Core.Functions;

/// <summary>
/// The names of functions and aliases, with Lambda's limits. The API and the manifest reader both call these, so a
/// name one accepts the other accepts too.
/// </summary>
public static partial class NameRules
{
    /// <summary>Lambda's limit for a function name (without ARN).</summary>
    public const int MaxFunctionNameLength = 64;

    /// <summary>Lambda's limit for an alias name.</summary>
    public const int MaxAliasNameLength = 128;

    public const string FunctionNameRule = "must be 1-64 characters of letters, digits, '-' or '_'";

    public const string AliasNameRule = "must be 1-128 letters, digits, '-' or '_', not only digits (that would be a version number) and not '$LATEST'";

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();

    public static bool IsValidFunctionName(string? name) =>
        name is { Length: > 0 and <= MaxFunctionNameLength } && NamePattern().IsMatch(name);

    /// <summary>Lambda's alias pattern <c>(?!^[0-9]+$)([a-zA-Z0-9-_]+)</c>, 1-128 characters.</summary>
    public static bool IsValidAliasName(string? alias) =>
        alias is { Length: > 0 and <= MaxAliasNameLength } && NamePattern().IsMatch(alias) && !alias.All(char.IsAsciiDigit);

    /// <summary>Null when the name is valid, else what is wrong with it.</summary>
    public static string? CheckFunctionName(string? name) => IsValidFunctionName(name) ? null : $"{FunctionNameRule}, was {Shown(name)}";

    /// <summary>Null when the alias name is valid, else what is wrong with it.</summary>
    public static string? CheckAliasName(string? alias) => IsValidAliasName(alias) ? null : $"{AliasNameRule}, was {Shown(alias)}";

    /// <summary>A qualifier as a route or a provisioned setting may name it: <c>$LATEST</c>, a version number or an alias.</summary>
    public static bool IsValidQualifier(string? qualifier) =>
        qualifier == Qualifier.Latest || (qualifier is not null && Qualifier.IsVersionNumber(qualifier, out _)) || IsValidAliasName(qualifier);

    /// <summary>Quotes a user's value for a message, cut short so that a huge value cannot make a huge answer.</summary>
    public static string Shown(string? value) => value switch
    {
        null => "null",
        { Length: > 80 } => $"'{value[..80]}…' ({value.Length} characters)",
        _ => $"'{value}'",
    };
}
