using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Tests.Commands;

public sealed class SchedulesListCommandTests
{
    private static readonly ArgumentParser s_parser = new(CliApp.Catalog);

    [Fact]
    public void SchedulesList_WithAName_TakesItAsTheFunction() =>
        Assert.Equal("mailer", s_parser.Parse(["schedules", "list", "mailer"]).Command!.OptionalArgument("NAME"));

    [Fact]
    public void SchedulesList_WithoutAName_ListsEveryFunction() =>
        Assert.Null(s_parser.Parse(["schedules", "list"]).Command!.OptionalArgument("NAME"));
}
