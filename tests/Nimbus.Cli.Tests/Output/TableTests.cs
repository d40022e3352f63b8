using Nimbus.Cli.Output;

namespace Nimbus.Cli.Tests.Output;

public sealed class TableTests
{
    [Fact]
    public void Columns_ArePaddedToTheWidestCell_WithTwoSpacesBetween_AndNoTrailingSpaces()
    {
        var text = new Table("NAME", "RUNTIME", "MEMORY")
            .AddRow("orders", "node", "128 MB")
            .AddRow("hello-python", "python", "1024 MB")
            .ToString();

        Assert.Equal(
            "NAME          RUNTIME  MEMORY\n" +
            "orders        node     128 MB\n" +
            "hello-python  python   1024 MB\n",
            text);
    }

    [Fact]
    public void RightAlignedColumns_PadOnTheLeft()
    {
        var text = new Table("VERSION", "SIZE").AlignRight(0, 1).AddRow("1", "512 B").AddRow("12", "3.1 KB").ToString();

        Assert.Equal(
            "VERSION    SIZE\n" +
            "      1   512 B\n" +
            "     12  3.1 KB\n",
            text);
    }

    [Fact]
    public void EmptyTable_PrintsOnlyTheHeader() => Assert.Equal("NAME  RUNTIME\n", new Table("NAME", "RUNTIME").ToString());

    [Fact]
    public void WithoutHeaders_PrintsKeyValueRows()
    {
        var text = new Table("K", "V") { ShowHeaders = false }.AddRow("name", "orders").AddRow("description", "").ToString();

        Assert.Equal("name         orders\ndescription\n", text);
    }

    [Fact]
    public void NullCells_PrintEmpty() => Assert.Equal("A  B\nx\n", new Table("A", "B").AddRow("x", null).ToString());

    [Fact]
    public void RowWithWrongCellCount_IsABug() => Assert.Throws<ArgumentException>(() => new Table("A", "B").AddRow("only one"));
}
