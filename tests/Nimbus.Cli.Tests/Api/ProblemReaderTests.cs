using System.Net;
using Nimbus.Cli.Api;

namespace Nimbus.Cli.Tests.Api;

public sealed class ProblemReaderTests
{
    [Fact]
    public void Describe_DetailRepeatingTheTitle_PrintsTheDetailOnce() =>
        Assert.Equal("Function not found: nope",
            ProblemReader.Describe(HttpStatusCode.NotFound, "Not Found", """{"title":"Function not found","detail":"Function not found: nope","status":404}"""));

    [Fact]
    public void Describe_DetailAddingToTheTitle_PrintsBoth() =>
        Assert.Equal("Throttled: Rate exceeded: function 'x' is at its reserved concurrency of 2",
            ProblemReader.Describe(HttpStatusCode.TooManyRequests, null, """{"title":"Throttled","detail":"Rate exceeded: function 'x' is at its reserved concurrency of 2"}"""));

    [Fact]
    public void Describe_ValidationWithoutDetail_ListsFieldErrors() =>
        Assert.Equal("Invalid: memoryMb: too small; runtime: unknown",
            ProblemReader.Describe(HttpStatusCode.BadRequest, null, """{"title":"Invalid","errors":{"memoryMb":["too small"],"runtime":["unknown"]}}"""));

    [Fact]
    public void Describe_ValidationWithDetail_DoesNotRepeatTheFieldErrors() =>
        Assert.Equal("Invalid: version: version 9 does not exist",
            ProblemReader.Describe(HttpStatusCode.BadRequest, null, """{"title":"Invalid","detail":"version: version 9 does not exist","errors":{"version":["version 9 does not exist"]}}"""));

    [Fact]
    public void Describe_NotJson_FallsBackToTheStatus() =>
        Assert.Equal("HTTP 502 Bad Gateway", ProblemReader.Describe(HttpStatusCode.BadGateway, "Bad Gateway", "<html>"));
}
