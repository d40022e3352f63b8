using System.Text;
using Nimbus.Core.Queues;

namespace Nimbus.Core.Tests.Queues;

public class BatchResponseTests
{
    private static readonly string[] s_batch = ["a", "b", "c"];

    private static IReadOnlySet<string>? Failed(string response) => BatchResponse.FailedItems(Encoding.UTF8.GetBytes(response), s_batch);

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"batchItemFailures\":null}")]
    [InlineData("{\"batchItemFailures\":[]}")]
    [InlineData("{\"other\":1}")]
    public void CompleteSuccess_WhenNothingIsReportedFailed(string response)
    {
        var failed = Failed(response);
        Assert.NotNull(failed);
        Assert.Empty(failed);
    }

    [Fact]
    public void NamedItems_AreTheOnlyFailures()
    {
        var failed = Failed("{\"batchItemFailures\":[{\"itemIdentifier\":\"b\"},{\"itemIdentifier\":\"c\"}]}");
        Assert.Equal(["b", "c"], failed!.Order());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"batchItemFailures\":{}}")]
    [InlineData("{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}")]
    [InlineData("{\"batchItemFailures\":[{\"itemIdentifier\":null}]}")]
    [InlineData("{\"batchItemFailures\":[{\"itemId\":\"a\"}]}")]
    [InlineData("{\"batchItemFailures\":[{\"itemIdentifier\":\"zzz\"}]}")]
    [InlineData("{\"batchItemFailures\":[{\"itemIdentifier\":7}]}")]
    public void CompleteFailure_WhenTheAnswerIsInvalid_AsLambdaTreatsIt(string response)
    {
        Assert.Null(Failed(response));
    }
}
