namespace Nimbus.Cli.Arguments;

/// <summary>
/// Matches <c>args</c> against the verbs of a <see cref="CommandCatalog"/>: <c>nimbus [global options] VERB [SUBVERB] args [options]</c>.
/// Options take <c>--name value</c>, <c>--name=value</c> or <c>-x value</c>; <c>--</c> ends options; <c>-</c> alone is a value.
/// </summary>
internal sealed class ArgumentParser(CommandCatalog catalog)
{
    public ParseResult Parse(IReadOnlyList<string> args)
    {
        var index = 0;
        var leading = new List<string>();

        // Options before the verb (`nimbus --url X functions list`): keep them for after the verb is known.
        while (index < args.Count && args[index].StartsWith('-') && args[index] != "-" && args[index] != "--")
        {
            var token = args[index++];
            if (IsHelp(token))
            {
                return ParseResult.Help(null);
            }

            if (token == "--version")
            {
                return ParseResult.Version();
            }

            var option = catalog.FindAnyOption(token)
                ?? throw new UsageException($"unknown option '{token}' (see 'nimbus --help')");
            leading.Add(token);
            if (option.TakesValue && !token.Contains('=') && index < args.Count)
            {
                leading.Add(args[index++]);
            }
        }

        if (index >= args.Count)
        {
            throw new UsageException("missing command (see 'nimbus --help')");
        }

        var verb = args[index++];
        if (verb == "help")
        {
            var topic = string.Join(' ', args.Skip(index));
            return ParseResult.Help(topic.Length == 0 ? null : topic);
        }

        CommandSpec command;
        if (catalog.IsGroup(verb))
        {
            if (index >= args.Count || IsHelp(args[index]))
            {
                return index < args.Count
                    ? ParseResult.Help(verb)
                    : throw new UsageException($"missing subcommand for '{verb}': {string.Join(", ", catalog.Subcommands(verb))} (see 'nimbus {verb} --help')");
            }

            var sub = args[index++];

            // A group may also be a verb of its own (`errors NAME` beside `errors show ID`): a word that is no
            // subcommand is then its first argument.
            var single = catalog.Find(verb);
            if (single is not null && catalog.Find($"{verb} {sub}") is null)
            {
                index--;
            }

            command = catalog.Find($"{verb} {sub}") ?? single
                ?? throw new UsageException($"unknown command '{verb} {sub}': expected {string.Join(", ", catalog.Subcommands(verb))} (see 'nimbus {verb} --help')");
        }
        else
        {
            command = catalog.Find(verb) ?? throw new UsageException($"unknown command '{verb}' (see 'nimbus --help')");
        }

        var rest = leading.Concat(args.Skip(index)).ToList();
        if (rest.TakeWhile(t => t != "--").Any(IsHelp))
        {
            return ParseResult.Help(command.Name);
        }

        return ParseResult.Run(ParseCommand(command, rest));
    }

    private static ParsedCommand ParseCommand(CommandSpec command, List<string> tokens)
    {
        var positionals = new List<string>();
        var options = new Dictionary<string, List<string>>();
        var optionsEnded = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (optionsEnded || token == "-" || !token.StartsWith('-'))
            {
                positionals.Add(token);
                continue;
            }

            if (token == "--")
            {
                optionsEnded = true;
                continue;
            }

            var name = OptionName(token);
            var option = (token.StartsWith("--", StringComparison.Ordinal) ? command.FindOption(name) : command.FindShortOption(name))
                ?? throw new UsageException($"unknown option '{token}' for '{command.Name}' (see 'nimbus {command.Name} --help')");
            var equals = token.IndexOf('=');
            string value;
            if (!option.TakesValue)
            {
                if (equals >= 0)
                {
                    throw new UsageException($"option --{option.Name} takes no value (see 'nimbus {command.Name} --help')");
                }

                value = "true";
            }
            else if (equals >= 0)
            {
                value = token[(equals + 1)..];
            }
            else if (i + 1 < tokens.Count)
            {
                value = tokens[++i];
            }
            else
            {
                throw new UsageException($"option --{option.Name} needs a value {option.ValueName} (see 'nimbus {command.Name} --help')");
            }

            if (!options.TryGetValue(option.Name, out var values))
            {
                options[option.Name] = values = [];
            }
            else if (!option.Repeatable)
            {
                throw new UsageException($"option --{option.Name} given more than once (see 'nimbus {command.Name} --help')");
            }

            values.Add(value);
        }

        if (positionals.Count > command.Arguments.Count)
        {
            throw new UsageException($"unexpected argument '{positionals[command.Arguments.Count]}' for '{command.Name}' (usage: {command.Usage})");
        }

        if (positionals.Count < command.Arguments.Count(a => !a.Optional))
        {
            throw new UsageException($"missing argument {command.Arguments[positionals.Count].Name} for '{command.Name}' (usage: {command.Usage})");
        }

        var arguments = command.Arguments.Zip(positionals).ToDictionary(p => p.First.Name, p => p.Second);
        return new ParsedCommand(command, arguments, options.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value));
    }

    private static bool IsHelp(string token) => token is "--help" or "-h";

    /// <summary><c>--file=x</c> → <c>file</c>; <c>-f</c> → <c>f</c>.</summary>
    private static string OptionName(string token)
    {
        var name = token.TrimStart('-');
        var equals = name.IndexOf('=');
        return equals >= 0 ? name[..equals] : name;
    }
}
