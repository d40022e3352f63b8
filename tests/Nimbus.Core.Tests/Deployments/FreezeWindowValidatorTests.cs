using Nimbus.Core.Deployments;

namespace Nimbus.Core.Tests.Deployments;

public sealed class FreezeWindowValidatorTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static FreezeWindowRequest Holidays() => new() { Start = "2026-12-24T00:00Z", End = "2026-12-27T00:00Z", Reason = "holidays" };

    [Fact]
    public void Validate_AWindowWithZones_IsReadAsUtc()
    {
        var errors = FreezeWindowValidator.Validate(Holidays() with { End = "2026-12-27T01:00:00+01:00", Function = "orders" }, s_now, out var window);

        Assert.Empty(errors);
        Assert.Equal(new DateTimeOffset(2026, 12, 24, 0, 0, 0, TimeSpan.Zero), window!.Start);
        Assert.Equal(new DateTimeOffset(2026, 12, 27, 0, 0, 0, TimeSpan.Zero), window.End);
        Assert.Equal(("holidays", "orders"), (window.Reason, window.Function));
    }

    [Theory]
    [InlineData("2026-12-24T00:00", "start")]
    [InlineData("24/12/2026", "start")]
    [InlineData("tomorrow", "start")]
    public void Validate_StartWithoutAZoneOrNotIso_IsRefusedUnderStart(string start, string field)
    {
        var errors = FreezeWindowValidator.Validate(Holidays() with { Start = start }, s_now, out var window);

        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Contains("ISO 8601 instant with a time zone", error.Message, StringComparison.Ordinal);
        Assert.Null(window);
    }

    [Fact]
    public void Validate_EndNotAfterStart_IsRefusedUnderEnd()
    {
        var errors = FreezeWindowValidator.Validate(Holidays() with { End = "2026-12-24T00:00Z" }, s_now, out _);

        Assert.Equal([new("end", "must be after start (2026-12-24T00:00:00Z), was 2026-12-24T00:00:00Z")], errors);
    }

    [Fact]
    public void Validate_EndInThePast_IsRefused()
    {
        var errors = FreezeWindowValidator.Validate(Holidays() with { Start = "2026-11-01T00:00Z", End = "2026-11-02T00:00Z" }, s_now, out _);

        Assert.Equal("end", Assert.Single(errors).Field);
    }

    [Fact]
    public void Validate_MissingFieldsAndABadFunctionName_AreEachNamed()
    {
        var errors = FreezeWindowValidator.Validate(new FreezeWindowRequest { Function = "no spaces" }, s_now, out _);

        Assert.Equal(["start", "end", "reason", "function"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Validate_LongerThanTheLimit_IsRefused()
    {
        var errors = FreezeWindowValidator.Validate(Holidays() with { End = "2027-06-01T00:00Z" }, s_now, out _);

        Assert.Equal("must be at most 90 days after start", Assert.Single(errors).Message);
    }

    [Fact]
    public void ActiveFor_PicksTheWindowThatCoversNowForTheFunction_EndingLast()
    {
        FreezeWindow[] windows =
        [
            new(s_now.AddHours(-1), s_now.AddHours(1), "a") { Id = "fw-a" },
            new(s_now.AddHours(-1), s_now.AddHours(5), "b") { Id = "fw-b" },
            new(s_now.AddHours(-1), s_now.AddHours(9), "c") { Id = "fw-c", Function = "billing" },
            new(s_now.AddHours(1), s_now.AddHours(9), "later") { Id = "fw-d" },
        ];

        Assert.Equal("fw-b", FreezeWindow.ActiveFor(windows, "orders", s_now)?.Id);
        Assert.Equal("fw-c", FreezeWindow.ActiveFor(windows, "billing", s_now)?.Id);
        Assert.Null(FreezeWindow.ActiveFor(windows, "orders", s_now.AddHours(10)));
        Assert.Equal("freeze window fw-b (b) until 2026-12-01T17:00:00Z", windows[1].Describe());
    }
}
