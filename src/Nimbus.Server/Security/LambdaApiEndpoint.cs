namespace Nimbus.Server.Security;

/// <summary>Endpoint metadata: answer authentication failures in Lambda's error shapes rather than as ProblemDetails.</summary>
public sealed class LambdaApiEndpoint
{
    public static readonly LambdaApiEndpoint Instance = new();
}
