namespace HelloDotnet;

/// <summary>The event: <c>{"name":"Ada"}</c>; the name is optional.</summary>
public sealed record GreetingRequest(string? Name);
