namespace Nimbus.Core.Api;

/// <summary>Headers of Lambda's Invoke API (<c>POST /2015-03-31/functions/{name}/invocations</c>), as AWS spells them.</summary>
public static class LambdaHeaders
{
    public const string InvocationType = "X-Amz-Invocation-Type";
    public const string LogType = "X-Amz-Log-Type";
    public const string ClientContext = "X-Amz-Client-Context";

    public const string FunctionError = "X-Amz-Function-Error";
    public const string LogResult = "X-Amz-Log-Result";
    public const string ExecutedVersion = "X-Amz-Executed-Version";

    /// <summary>The request id header Lambda sends (and the SDKs read).</summary>
    public const string RequestId = "x-amzn-RequestId";

    /// <summary>The same id under the name some tools look for.</summary>
    public const string AmzRequestId = "X-Amz-Request-Id";

    /// <summary>The error's type name; the AWS SDKs read the error code from here.</summary>
    public const string ErrorType = "x-amzn-ErrorType";
}
