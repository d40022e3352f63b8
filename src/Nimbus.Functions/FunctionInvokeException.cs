namespace Nimbus.Functions;

/// <summary>
/// The platform refused a call to another function before it ran: it does not exist (404
/// <c>ResourceNotFoundException</c>), it is throttled (429), the call chain is too deep (400
/// <c>RecursiveInvocationException</c>), the payload is too large (413), and so on.
/// </summary>
public sealed class FunctionInvokeException : Exception
{
    /// <summary>A refusal with its status, Lambda error type and message.</summary>
    public FunctionInvokeException(int statusCode, string? errorType, string message)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorType = errorType;
    }

    /// <summary>A refusal without details.</summary>
    public FunctionInvokeException()
    {
    }

    /// <summary>A refusal with a message.</summary>
    public FunctionInvokeException(string message)
        : base(message)
    {
    }

    /// <summary>A refusal with a message and its cause.</summary>
    public FunctionInvokeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status of the answer.</summary>
    public int StatusCode { get; }

    /// <summary>Lambda's error type (<c>x-amzn-ErrorType</c>), e.g. <c>ResourceNotFoundException</c>.</summary>
    public string? ErrorType { get; }
}
