namespace Nimbus.Core.Security.Policy;

/// <summary>What a function attempted on one resource with one action, as the platform recorded it.</summary>
/// <param name="Allowed">How many attempts were allowed.</param>
/// <param name="Denied">How many attempts were denied.</param>
/// <param name="LastAt">When the latest attempt was made.</param>
public sealed record ObservedAccess(string Action, string Resource, long Allowed, long Denied, DateTimeOffset LastAt);
