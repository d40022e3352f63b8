namespace Nimbus.Core.Api;

/// <summary>A function's webhook secret: the key of the HMAC-SHA256 in <c>X-Nimbus-Signature</c> of its webhook deliveries.</summary>
public sealed record WebhookSecretInfo(string FunctionName, string Secret);
