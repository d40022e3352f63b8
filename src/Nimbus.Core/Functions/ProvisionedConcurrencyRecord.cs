namespace Nimbus.Core.Functions;

/// <summary>Instances kept warm for a version or alias of a function.</summary>
public sealed record ProvisionedConcurrencyRecord(string FunctionName, string Qualifier, int Count);
