using Nimbus.Core.Invocations;
using Nimbus.Server.Invocations;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Tests.Invocations;

/// <summary>The front door's admission and resolution, and the record it publishes, without starting any worker.</summary>
public sealed class InvokerTests : IAsyncLifetime
{
    private InvokerFixture _nimbus = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync() => _nimbus = await InvokerFixture.StartAsync(Ct);

    public async Task DisposeAsync() => await _nimbus.DisposeAsync();

    [Theory]
    [InlineData(0.0, "2")]
    [InlineData(0.2499, "2")]
    [InlineData(0.25, "1")]
    [InlineData(0.9999, "1")]
    public void Admit_WeightedAlias_GoesToTheVersionTheSamplerPicks(double sample, string expectedVersion)
    {
        _nimbus.Sampler.Value = sample;

        var answer = _nimbus.Invoker.Admit("fn", "live");

        Assert.Equal(AdmissionStatus.Admitted, answer.Admission);
        Assert.Equal(expectedVersion, answer.Target?.Version);
        Assert.Equal("live", answer.Alias);
        Assert.Null(answer.Result);
    }

    [Fact]
    public void Admit_SameSampleTwice_PicksTheSameVersionBothTimes()
    {
        _nimbus.Sampler.Value = 0.1;

        var first = _nimbus.Invoker.Admit("fn", "live");
        var second = _nimbus.Invoker.Admit("fn", "live");

        Assert.Equal("2", first.Target?.Version);
        Assert.Equal(first.Target, second.Target);
    }

    [Theory]
    [InlineData(null, "$LATEST", null)]
    [InlineData("$LATEST", "$LATEST", null)]
    [InlineData("1", "1", null)]
    public void Admit_VersionOrLatest_IsAdmittedWithoutAnAlias(string? qualifier, string expectedVersion, string? expectedAlias)
    {
        var answer = _nimbus.Invoker.Admit("fn", qualifier);

        Assert.Equal(AdmissionStatus.Admitted, answer.Admission);
        Assert.Equal(expectedVersion, answer.Target?.Version);
        Assert.Equal(expectedAlias, answer.Alias);
    }

    [Theory]
    [InlineData("nosuch", null, AdmissionStatus.FunctionNotFound, "Function not found: nosuch")]
    [InlineData("fn", "7", AdmissionStatus.QualifierNotFound, "Function not found: fn:7 (no such version)")]
    [InlineData("fn", "dark", AdmissionStatus.QualifierNotFound, "Function not found: fn:dark (no such version or alias)")]
    [InlineData("empty", null, AdmissionStatus.NoCode, "Function 'empty' has no code yet: upload a package first")]
    public void Admit_WhatCannotRun_IsRefusedWithTheReason(string function, string? qualifier, AdmissionStatus expected, string detail)
    {
        var answer = _nimbus.Invoker.Admit(function, qualifier);

        Assert.Equal(expected, answer.Admission);
        Assert.Equal(detail, answer.Detail);
        Assert.Null(answer.Target);
    }

    [Fact]
    public async Task InvokeAsync_UnknownFunction_IsRefusedAndPublishesNoRecord()
    {
        var answer = await _nimbus.Invoker.InvokeAsync(Call("nosuch", null, InvocationSource.Api), Ct);

        Assert.Equal(AdmissionStatus.FunctionNotFound, answer.Admission);
        Assert.Null(answer.Result);
        Assert.False(_nimbus.Telemetry.Invocations.Reader.TryRead(out _));
    }

    [Fact]
    public async Task InvokeAsync_DisabledFunction_AnswersThrottledAndPublishesOneRecordNamingItsSource()
    {
        var call = Call("off", null, InvocationSource.Async);

        var answer = await _nimbus.Invoker.InvokeAsync(call, Ct);

        Assert.Equal(AdmissionStatus.Admitted, answer.Admission);
        Assert.Equal(InvocationOutcome.Throttled, answer.Result?.Outcome);
        Assert.Equal(ThrottleReason.FunctionDisabled, answer.Result?.ThrottleReason);
        Assert.True(_nimbus.Telemetry.Invocations.Reader.TryRead(out var record));
        Assert.Equal(call.RequestId, record.RequestId);
        Assert.Equal(("off", "$LATEST", "Async"), (record.FunctionName, record.Version, record.Source));
        Assert.Equal((InvocationOutcome.Throttled, "FunctionDisabled"), (record.Outcome, record.ErrorType));
        Assert.False(_nimbus.Telemetry.Invocations.Reader.TryRead(out _), "one invocation, one record");
    }

    [Fact]
    public async Task InvokeAsync_AfterAdmit_RunsTheAdmittedTargetWithoutResolvingAgain()
    {
        _nimbus.Sampler.Value = 0.9;
        var admission = _nimbus.Invoker.Admit("off", null);
        _nimbus.Sampler.Value = 0.0;

        var answer = await _nimbus.Invoker.InvokeAsync(admission, Call("off", null, InvocationSource.HttpRoute), Ct);

        Assert.Same(admission.Target, answer.Target);
        Assert.True(_nimbus.Telemetry.Invocations.Reader.TryRead(out var record));
        Assert.Equal("HttpRoute", record.Source);
    }

    [Fact]
    public async Task InvokeAsync_WithAnAdmissionForAnotherFunction_Throws()
    {
        var admission = _nimbus.Invoker.Admit("fn", null);

        await Assert.ThrowsAsync<ArgumentException>(() => _nimbus.Invoker.InvokeAsync(admission, Call("off", null, InvocationSource.Api), Ct));
        Assert.False(_nimbus.Telemetry.Invocations.Reader.TryRead(out _));
    }

    [Fact]
    public async Task AdmitAndInvoke_OnceShutdownBegan_AreNotAccepting_EvenForAnEarlierAdmission()
    {
        var earlier = _nimbus.Invoker.Admit("off", null);

        await _nimbus.Dispatcher.ShutdownAsync(TimeSpan.Zero, Ct);
        var admit = _nimbus.Invoker.Admit("fn", null);
        var invoke = await _nimbus.Invoker.InvokeAsync(Call("fn", null, InvocationSource.Schedule), Ct);
        var invokeEarlier = await _nimbus.Invoker.InvokeAsync(earlier, Call("off", null, InvocationSource.Api), Ct);

        Assert.False(_nimbus.Invoker.Accepting);
        Assert.All([admit, invoke, invokeEarlier], answer =>
        {
            Assert.Equal(AdmissionStatus.NotAccepting, answer.Admission);
            Assert.Equal("Nimbus is shutting down and accepts no new invocations.", answer.Detail);
        });
        Assert.False(_nimbus.Telemetry.Invocations.Reader.TryRead(out _));
    }

    private static InvocationCall Call(string function, string? qualifier, InvocationSource source) => new()
    {
        FunctionName = function,
        Qualifier = qualifier,
        Payload = "{}"u8.ToArray(),
        Source = source,
    };
}
