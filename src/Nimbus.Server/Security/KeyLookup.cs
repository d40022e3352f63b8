using Nimbus.Core.Security;

namespace Nimbus.Server.Security;

/// <summary>What SigV4 verification needs for one access key id: its secret, whom it authenticates, and a session token if it has one.</summary>
public sealed record KeyLookup(string Secret, Principal Principal, string? SessionToken = null);
