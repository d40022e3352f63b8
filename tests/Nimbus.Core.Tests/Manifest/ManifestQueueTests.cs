using Nimbus.Core.Manifest;

namespace Nimbus.Core.Tests.Manifest;

public class ManifestQueueTests
{
    private const string Issue8Example =
        """
        queues:
          emails:
            visibilityTimeout: 30       # seconds; at least the consumer's timeout
            retention: 4d
            delay: 0s
            maxReceiveCount: 5
        functions:
          mailer:
            runtime: node
            handler: index.handler
            code: ./mailer
            sources:
              - queue: emails
                batchSize: 10
                maximumBatchingWindow: 2s
                maximumConcurrency: 5
                reportBatchItemFailures: true
        """;

    [Fact]
    public void TheIssuesExample_ReadsQueuesAndSources()
    {
        var result = ManifestParser.Parse(Issue8Example, "/app");
        Assert.Empty(result.Errors);
        var queue = Assert.Single(result.Manifest!.Queues);
        Assert.Equal("emails", queue.Name);
        Assert.Equal(30, queue.VisibilityTimeoutSeconds);
        Assert.Equal(4 * 86400, queue.RetentionSeconds);
        Assert.Equal(0, queue.DelaySeconds);
        Assert.Equal(5, queue.MaxReceiveCount);

        var source = Assert.Single(result.Manifest.Functions[0].Config.Sources!);
        Assert.Equal("emails", source.Queue);
        Assert.Equal(10, source.BatchSize);
        Assert.Equal(2, source.MaximumBatchingWindowInSeconds);
        Assert.Equal(5, source.MaximumConcurrency);
        Assert.True(source.ReportBatchItemFailures);
        Assert.True(source.Enabled);
    }

    [Fact]
    public void BadQueueSettings_AreReportedOnTheirLines()
    {
        var result = ManifestParser.Parse(
            """
            queues:
              emails:
                retention: 20d
                visibiltyTimeout: 30
            functions:
              mailer: {runtime: node, handler: index.handler, code: ./m, sources: [{queue: emails, batchSize: 20}]}
            """, "/app");
        Assert.Contains(result.Errors, e => e.Field == "queues.emails.retention" && e.Line == 3 && e.Message.Contains("14 days", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Field == "queues.emails.visibiltyTimeout" && e.Line == 4);
        Assert.Contains(result.Errors, e => e.Field.EndsWith("batchSize", StringComparison.Ordinal) && e.Line == 6);
    }

    [Fact]
    public void ASourceWithoutAQueue_IsAnError()
    {
        var result = ManifestParser.Parse("functions:\n  m: {runtime: node, handler: i.h, code: ., sources: [{batchSize: 2}]}\n", "/app");
        Assert.Contains(result.Errors, e => e.Field == "functions.m.sources[0].queue");
    }
}
