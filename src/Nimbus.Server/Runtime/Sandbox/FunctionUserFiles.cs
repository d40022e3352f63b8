namespace Nimbus.Server.Runtime.Sandbox;

/// <summary>Host paths of the <c>/etc/passwd</c> and <c>/etc/group</c> a function's sandbox sees (its own user only).</summary>
public sealed record FunctionUserFiles(string Passwd, string Group);
