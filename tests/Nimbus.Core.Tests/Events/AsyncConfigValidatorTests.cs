using Nimbus.Core.Events;

namespace Nimbus.Core.Tests.Events;

public class AsyncConfigValidatorTests
{
    [Fact]
    public void Validate_NullOrDefault_HasNoErrors()
    {
        Assert.Empty(AsyncConfigValidator.Validate(null));
        Assert.Empty(AsyncConfigValidator.Validate(AsyncConfig.Default));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void Validate_RetryAttemptsOutsideZeroToTwo_IsRejected(int attempts)
    {
        var error = Assert.Single(AsyncConfigValidator.Validate(new AsyncConfig { MaximumRetryAttempts = attempts }));

        Assert.Equal("async.maximumRetryAttempts", error.Field);
        Assert.Contains("between 0 and 2", error.Message);
    }

    [Theory]
    [InlineData(59)]
    [InlineData(21_601)]
    public void Validate_EventAgeOutsideLambdaRange_IsRejected(int seconds)
    {
        var error = Assert.Single(AsyncConfigValidator.Validate(new AsyncConfig { MaximumEventAgeInSeconds = seconds }));

        Assert.Equal("async.maximumEventAgeInSeconds", error.Field);
    }

    [Fact]
    public void Validate_NegativeRetryDelay_NamesItsIndex()
    {
        var error = Assert.Single(AsyncConfigValidator.Validate(new AsyncConfig { RetryDelaysSeconds = [1, -2] }));

        Assert.Equal("async.retryDelays[1]", error.Field);
    }

    [Fact]
    public void Validate_MoreDelaysThanRetries_IsRejected()
    {
        var error = Assert.Single(AsyncConfigValidator.Validate(new AsyncConfig { RetryDelaysSeconds = [1, 2, 3] }));

        Assert.Equal("async.retryDelays", error.Field);
    }

    [Theory]
    [InlineData("function:audit", true)]
    [InlineData("webhook:https://ops.example/hooks/nimbus", true)]
    [InlineData("dlq", true)]
    [InlineData("sqs:queue", false)]
    [InlineData("function:", false)]
    [InlineData("webhook:ftp://x", false)]
    public void Validate_OnFailureDestination(string destination, bool valid)
    {
        var errors = AsyncConfigValidator.Validate(new AsyncConfig { OnFailure = destination });

        Assert.Equal(valid, errors.Count == 0);
    }

    [Fact]
    public void Validate_OnSuccessDlq_IsRejected()
    {
        var error = Assert.Single(AsyncConfigValidator.Validate(new AsyncConfig { OnSuccess = "dlq" }));

        Assert.Equal("async.onSuccess", error.Field);
    }

    [Fact]
    public void Validate_QueueDepthBelowOne_IsRejected()
    {
        var error = Assert.Single(AsyncConfigValidator.Validate(new AsyncConfig { MaximumQueueDepth = 0 }));

        Assert.Equal("async.maximumQueueDepth", error.Field);
    }
}
