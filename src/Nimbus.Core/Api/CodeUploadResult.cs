namespace Nimbus.Core.Api;

/// <summary>Answer to <c>PUT /api/v1/functions/{name}/code</c>.</summary>
/// <param name="Created">False when a package with the same digest was already stored.</param>
public sealed record CodeUploadResult(string FunctionName, string CodeSha256, long CodeSize, bool Created, long Revision);
