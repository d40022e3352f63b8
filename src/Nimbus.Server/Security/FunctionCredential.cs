namespace Nimbus.Server.Security;

/// <summary>The short-lived credentials of one instance: what it finds as AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN.</summary>
public sealed record FunctionCredential(
    string AccessKeyId,
    string SecretAccessKey,
    string SessionToken,
    string FunctionName,
    string InstanceId,
    DateTimeOffset ExpiresAt);
