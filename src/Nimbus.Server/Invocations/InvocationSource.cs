namespace Nimbus.Server.Invocations;

/// <summary>Which entry point started an invocation; carried on its <see cref="Core.Invocations.InvocationRecord"/>.</summary>
public enum InvocationSource
{
    Api,
    LambdaApi,
    HttpRoute,
    Async,
    QueueSource,
    Schedule,
    Destination,
    Hook,
    Shadow,
    LoadTest,
}
