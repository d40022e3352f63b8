namespace Nimbus.Core.Functions;

/// <summary>Lambda-style ARNs, so runtimes and SDKs that read <c>invokedFunctionArn</c> see the shape they expect.</summary>
public static class FunctionArn
{
    public const string AccountId = "000000000000";

    public static string For(string region, string functionName, string? qualifier) =>
        qualifier is null
            ? $"arn:aws:lambda:{region}:{AccountId}:function:{functionName}"
            : $"arn:aws:lambda:{region}:{AccountId}:function:{functionName}:{qualifier}";
}
