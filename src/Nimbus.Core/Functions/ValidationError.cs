namespace Nimbus.Core.Functions;

/// <summary>One problem with user input: the field it concerns (dotted path) and what is wrong.</summary>
public sealed record ValidationError(string Field, string Message);
