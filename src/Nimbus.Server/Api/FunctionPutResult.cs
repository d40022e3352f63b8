using Nimbus.Core.Functions;

namespace Nimbus.Server.Api;

/// <summary>A function configuration that was saved, and whether the PUT created the function.</summary>
public sealed record FunctionPutResult(FunctionRecord Function, bool Created);
