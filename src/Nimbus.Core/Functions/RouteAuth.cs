namespace Nimbus.Core.Functions;

/// <summary>
/// Who may call an HTTP route. Routes are public without one, as API Gateway's are. <c>nimbus</c>: a Nimbus token or
/// access key with the invoke permission on the function; <c>jwt</c>: a bearer JWT (RS256) from <see cref="Issuer"/>
/// for <see cref="Audience"/>, checked against the keys at <see cref="JwksUrl"/> or in <see cref="JwksFile"/>.
/// </summary>
public sealed record RouteAuth
{
    public const string NimbusType = "nimbus";
    public const string JwtType = "jwt";

    public string Type { get; init; } = NimbusType;
    public string? Issuer { get; init; }
    public string? Audience { get; init; }
    public string? JwksUrl { get; init; }
    public string? JwksFile { get; init; }

    public static readonly RouteAuth Nimbus = new();

    /// <summary>What is wrong with this setting, each error naming <c>{field}.x</c>.</summary>
    public IEnumerable<ValidationError> Check(string field)
    {
        if (Type == NimbusType)
        {
            if (Issuer is not null || Audience is not null || JwksUrl is not null || JwksFile is not null)
            {
                yield return new(field, "auth 'nimbus' takes no issuer, audience or key set");
            }

            yield break;
        }

        if (Type != JwtType)
        {
            yield return new($"{field}.type", $"'{Type}' is not one of nimbus, jwt");
            yield break;
        }

        if (string.IsNullOrWhiteSpace(Issuer))
        {
            yield return new($"{field}.issuer", "is required for jwt");
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            yield return new($"{field}.audience", "is required for jwt");
        }

        if (string.IsNullOrWhiteSpace(JwksUrl) == string.IsNullOrWhiteSpace(JwksFile))
        {
            yield return new($"{field}.jwksUrl", "give exactly one of jwksUrl (https:// or http://) and jwksFile");
        }
        else if (JwksUrl is not null && !(Uri.TryCreate(JwksUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
        {
            yield return new($"{field}.jwksUrl", $"'{JwksUrl}' is not an http:// or https:// URL");
        }
    }
}
