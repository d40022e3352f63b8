using Nimbus.Core.Queues;

namespace Nimbus.Core.Tests.Queues;

public class QueueConfigValidatorTests
{
    [Fact]
    public void Defaults_AreValid() => Assert.Empty(QueueConfigValidator.Validate(new QueueConfig { Name = "emails" }));

    [Theory]
    [InlineData("bad name", "name")]
    [InlineData("", "name")]
    public void Name_MustFollowSqsRules(string name, string field) =>
        Assert.Equal(field, Assert.Single(QueueConfigValidator.Validate(new QueueConfig { Name = name })).Field);

    [Fact]
    public void OutOfRangeSettings_AreEachReported()
    {
        var errors = QueueConfigValidator.Validate(new QueueConfig
        {
            Name = "q", VisibilityTimeoutSeconds = 50_000, RetentionSeconds = 10, DelaySeconds = 901, MaxReceiveCount = 0, MaximumDepth = 0,
        });
        Assert.Equal(["delaySeconds", "maxReceiveCount", "maximumDepth", "retentionSeconds", "visibilityTimeoutSeconds"], errors.Select(e => e.Field).Order());
    }

    [Fact]
    public void CheckConsumer_RefusesAVisibilityTimeoutShorterThanTheFunctionTimeout_AndSaysWhy()
    {
        var message = QueueConfigValidator.CheckConsumer(new QueueConfig { Name = "emails", VisibilityTimeoutSeconds = 10 }, "mailer", 30);
        Assert.NotNull(message);
        Assert.Contains("processed twice", message, StringComparison.Ordinal);
        Assert.Contains("at least 30s", message, StringComparison.Ordinal);
        Assert.Null(QueueConfigValidator.CheckConsumer(new QueueConfig { Name = "emails", VisibilityTimeoutSeconds = 30 }, "mailer", 30));
        Assert.Null(QueueConfigValidator.CheckConsumer(new QueueConfig { Name = "emails" }, "mailer", 900));
    }

    [Fact]
    public void Sources_OutOfRange_AreReportedByField()
    {
        var errors = EventSourceConfigValidator.Validate(
        [
            new EventSourceConfig { Queue = "a", BatchSize = 11, MaximumBatchingWindowInSeconds = 301, MaximumConcurrency = 0 },
            new EventSourceConfig { Queue = "a" },
        ]);
        Assert.Equal(["sources[0].batchSize", "sources[0].maximumBatchingWindowInSeconds", "sources[0].maximumConcurrency", "sources[1].queue"],
            errors.Select(e => e.Field).Order());
    }
}
