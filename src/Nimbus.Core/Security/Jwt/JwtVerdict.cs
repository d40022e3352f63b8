namespace Nimbus.Core.Security.Jwt;

/// <summary>The outcome of checking one JWT; <see cref="Error"/> says why it was refused.</summary>
public sealed record JwtVerdict(bool IsValid, string Error, string? Subject = null)
{
    public static JwtVerdict Invalid(string error) => new(false, error);
}
