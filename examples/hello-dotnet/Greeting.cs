namespace HelloDotnet;

/// <summary>The answer: bound to JSON as <c>{"message":…,"requestId":…}</c>.</summary>
public sealed record Greeting(string Message, string RequestId);
