namespace Nimbus.Core.Security.Secrets;

/// <summary>Secrets Manager's rule for a secret's name: 1-512 letters, digits and <c>/_+=.@-</c>.</summary>
public static class SecretNames
{
    public const int MaxLength = 512;

    /// <summary>Null when valid, else what is wrong.</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "is required: 1-512 letters, digits and /_+=.@-";
        }

        if (name.Length > MaxLength)
        {
            return $"is {name.Length} characters long; at most {MaxLength} are allowed";
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('/' or '_' or '+' or '=' or '.' or '@' or '-'))
            {
                return $"'{Shown(name)}' contains '{c}'; a secret's name has only letters, digits and /_+=.@-";
            }
        }

        return null;
    }

    public static bool IsValid(string? name) => Check(name) is null;

    private static string Shown(string name) => name.Length > 64 ? name[..64] + "…" : name;
}
