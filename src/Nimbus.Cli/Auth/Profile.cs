namespace Nimbus.Cli.Auth;

/// <summary>A server the CLI has logged in to: its address and the token to send.</summary>
internal sealed record Profile(string Url, string Token);
