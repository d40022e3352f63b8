namespace Nimbus.Cli.Arguments;

/// <summary>Writes usage text: for everything, for a verb group (<c>functions</c>), or for one verb.</summary>
internal static class HelpWriter
{
    public static void Write(TextWriter output, CommandCatalog catalog, string? topic)
    {
        if (topic is null)
        {
            WriteOverview(output, catalog.Commands);
        }
        else if (catalog.Find(topic) is { } command)
        {
            WriteCommand(output, command);
        }
        else if (catalog.IsGroup(topic))
        {
            WriteOverview(output, catalog.InGroup(topic));
        }
        else
        {
            throw new UsageException($"unknown command '{topic}' (see 'nimbus --help')");
        }
    }

    private static void WriteOverview(TextWriter output, IReadOnlyList<CommandSpec> commands)
    {
        output.WriteLine("Usage: nimbus COMMAND [arguments] [options]");
        output.WriteLine();
        output.WriteLine("Commands:");
        var width = commands.Max(c => c.Name.Length);
        foreach (var command in commands)
        {
            output.WriteLine($"  {command.Name.PadRight(width)}  {command.Summary}");
        }

        output.WriteLine();
        output.WriteLine("Run 'nimbus COMMAND --help' for the arguments and options of a command.");
        output.WriteLine("Exit codes: 0 ok, 1 function error or failed operation, 2 usage or validation error,");
        output.WriteLine("3 cannot reach the server, 4 not found.");
    }

    private static void WriteCommand(TextWriter output, CommandSpec command)
    {
        output.WriteLine($"Usage: {command.Usage}");
        output.WriteLine();
        output.WriteLine(command.Summary);
        var rows = command.Arguments.Select(a => (a.Name, a.Description))
            .Concat(command.Options.Select(o => (o.Usage, o.Description)))
            .Append(("-h, --help", "Show this help"))
            .ToList();
        var width = rows.Max(r => r.Item1.Length);
        if (command.Arguments.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Arguments:");
            foreach (var argument in command.Arguments)
            {
                output.WriteLine($"  {argument.Name.PadRight(width)}  {argument.Description}");
            }
        }

        output.WriteLine();
        output.WriteLine("Options:");
        foreach (var (usage, description) in rows.Skip(command.Arguments.Count))
        {
            output.WriteLine($"  {usage.PadRight(width)}  {description}");
        }
    }
}
