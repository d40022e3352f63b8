using HelloDotnet;
using Nimbus.Functions;

// Read once per instance, not per invocation.
var greeting = Environment.GetEnvironmentVariable("GREETING") ?? "Hello";

await FunctionHost.RunAsync((request, context) =>
{
    var name = string.IsNullOrWhiteSpace(request?.Name) ? "world" : request.Name.Trim();
    context.Logger.Info("greeting", new { name, remainingMs = (long)context.RemainingTime.TotalMilliseconds });
    return ValueTask.FromResult(new Greeting($"{greeting}, {name}!", context.RequestId));
}, HelloJsonContext.Default.GreetingRequest, HelloJsonContext.Default.Greeting);
