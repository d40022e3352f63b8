using System.Net;

namespace Nimbus.Cli.Api;

/// <summary>The server answered with an error status; the message is its ProblemDetails title and detail.</summary>
internal sealed class ApiException(HttpStatusCode status, string message) : CliException(message, ExitCodeFor(status))
{
    public HttpStatusCode Status { get; } = status;

    private static int ExitCodeFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => ExitCodes.NotFound,
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => ExitCodes.Usage,
        _ => ExitCodes.Failed,
    };
}
