using System.Globalization;
using Nimbus.Core.Functions;
using YamlDotNet.RepresentationModel;

namespace Nimbus.Core.Manifest;

/// <summary>
/// Reads one entry under <c>functions:</c> into a <see cref="FunctionManifest"/>, reporting every problem with its
/// field path and line, then applies <see cref="FunctionConfigValidator"/> so the manifest and the API agree on limits.
/// </summary>
internal sealed class ManifestFunctionReader
{
    public static readonly IReadOnlyList<string> Keys =
    [
        "runtime", "handler", "code", "memory", "timeout", "description", "environment", "reservedConcurrency",
        "routes", "alias", "provisionedConcurrency", "build", "async", "schedules",
        "recursiveLoop",
        "ephemeralStorage", "concurrencyPerInstance", "idempotency", "policy", "alarms", "defaultAlarms", "slos", "deployment", "sources",
        "defaultSlo",
    ];

    private static readonly IReadOnlyList<string> s_routeKeys = ["method", "path", "auth"];
    private static readonly IReadOnlyList<string> s_requiredRouteKeys = ["method", "path"];

    private readonly string _name;
    private readonly string _prefix;
    private readonly int _line;
    private readonly List<ManifestError> _errors;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    // Where each setting was written, by the validator's field name, so its errors point at the right line.
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private readonly List<RouteSource> _routeSources = [];
    private string _baseDirectory = "";

    // Where each key was written (routes also by index), kept on the result for checks made after parsing.
    private readonly Dictionary<string, int> _keyLines = new(StringComparer.Ordinal);

    private ManifestFunctionReader(string name, int line, List<ManifestError> errors)
    {
        _name = name;
        _prefix = $"functions.{name}";
        _line = line;
        _errors = errors;
    }

    /// <summary>Reads a function; null when it has errors (already added to <paramref name="errors"/>).</summary>
    public static ManifestFunctionResult? Read(string name, YamlNode nameNode, YamlNode value, string baseDirectory, List<ManifestError> errors)
    {
        var reader = new ManifestFunctionReader(name, YamlNodes.Line(nameNode), errors);
        return reader.Read(value, baseDirectory);
    }

    private ManifestFunctionResult? Read(YamlNode value, string baseDirectory)
    {
        _baseDirectory = baseDirectory;
        var errorsBefore = _errors.Count;
        if (value is not YamlMappingNode mapping)
        {
            Error(_prefix, YamlNodes.IsNull(value)
                ? "has no settings; give at least 'runtime' and 'code'"
                : $"must be a mapping of settings (runtime, code, handler, ...), not {YamlNodes.Kind(value)}", YamlNodes.Line(value));
            return null;
        }

        var settings = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Error(_prefix, "has a key that is not a plain name", YamlNodes.Line(keyNode));
                continue;
            }

            if (!Keys.Contains(key))
            {
                Error($"{_prefix}.{key}", KeySuggestion.UnknownKeyMessage(key, Keys), YamlNodes.Line(keyNode));
                continue;
            }

            settings[key] = (keyNode, valueNode);
            _keyLines[key] = YamlNodes.Line(keyNode);
        }

        var runtime = RequiredString(settings, "runtime", $"is required: one of {string.Join(", ", RuntimeNames.All)}");
        var code = RequiredString(settings, "code", "is required: the function's code directory, relative to nimbus.yaml");
        var handler = OptionalString(settings, "handler");
        var description = OptionalString(settings, "description");
        var alias = OptionalString(settings, "alias");
        var build = OptionalString(settings, "build");
        var memory = OptionalInt(settings, "memory", "memoryMb",
            $"must be a whole number of MB ({FunctionConfigValidator.MinMemoryMb}-{FunctionConfigValidator.MaxMemoryMb})");
        var timeout = OptionalSeconds(settings, "timeout", "timeoutSeconds");
        var reserved = OptionalInt(settings, "reservedConcurrency", "reservedConcurrency",
            "must be a whole number of instances (0 disables the function)");
        var provisioned = OptionalInt(settings, "provisionedConcurrency", "provisionedConcurrency",
            "must be a whole number of instances");
        var ephemeralStorage = OptionalInt(settings, "ephemeralStorage", "ephemeralStorage",
            $"must be a whole number of MB ({FunctionConfigValidator.MinEphemeralStorageMb}-{FunctionConfigValidator.MaxEphemeralStorageMb})");
        var concurrencyPerInstance = OptionalInt(settings, "concurrencyPerInstance", "concurrencyPerInstance",
            $"must be a whole number of invocations one instance serves at once (1-{FunctionConfigValidator.MaxConcurrencyPerInstance})");
        var environment = ReadEnvironment(settings);
        var routes = ReadRoutes(settings, alias);
        var asyncConfig = ManifestAsyncReader.Read(settings.GetValueOrDefault("async").Value, $"{_prefix}.async", Error, _lines);
        var recursiveLoop = ReadRecursiveLoop(settings);
        var schedules = ManifestScheduleReader.Read(settings.GetValueOrDefault("schedules").Value, $"{_prefix}.schedules", Error, _lines);
        var idempotency = ManifestIdempotencyReader.Read(settings.GetValueOrDefault("idempotency").Value, $"{_prefix}.idempotency", Error, _lines);
        var policy = ManifestPolicyReader.Read(settings.GetValueOrDefault("policy").Value, $"{_prefix}.policy", Error, _lines);
        var alarms = ManifestMonitoringReader.ReadAlarms(settings.GetValueOrDefault("alarms").Value, $"{_prefix}.alarms", Error, _lines);
        var slos = ManifestMonitoringReader.ReadSlos(settings.GetValueOrDefault("slos").Value, $"{_prefix}.slos", Error, _lines);
        var defaultSlo = ManifestMonitoringReader.ReadDefaultSlo(settings.GetValueOrDefault("defaultSlo").Value, $"{_prefix}.defaultSlo", Error, _lines);
        var defaultAlarms = ManifestMonitoringReader.ReadDefaults(settings.GetValueOrDefault("defaultAlarms").Value, $"{_prefix}.defaultAlarms", _errors, _lines);
        var deployment = ManifestDeploymentReader.Read(settings.GetValueOrDefault("deployment").Value, $"{_prefix}.deployment", Error);
        if (settings.ContainsKey("deployment") && alias is null)
        {
            Error($"{_prefix}.deployment", "needs 'alias': a deployment moves an alias (e.g. alias: live) to the version deploy publishes", LineOf("deployment"));
        }
        var sources = ManifestSourceReader.Read(settings.GetValueOrDefault("sources").Value, $"{_prefix}.sources", Error, _lines);

        if (alias is not null && !NameRules.IsValidAliasName(alias))
        {
            Error($"{_prefix}.alias",
                $"must be 1-128 letters, digits, '-' or '_', not only digits (that would be a version number) and not '{Qualifier.Latest}', was '{alias}'",
                LineOf("alias"));
        }

        if (provisioned is < 0)
        {
            Error($"{_prefix}.provisionedConcurrency", $"must be 0 or more, was {provisioned}", LineOf("provisionedConcurrency"));
        }
        else if (provisioned is { } warm && reserved is { } limit && limit >= 0 && warm > limit)
        {
            Error($"{_prefix}.provisionedConcurrency",
                $"must not be greater than reservedConcurrency ({limit}), was {warm}: instances kept warm count against the reservation",
                LineOf("provisionedConcurrency"));
        }

        var config = new FunctionConfig
        {
            Name = _name,
            Runtime = runtime ?? "",
            Handler = handler ?? "",
            MemoryMb = memory ?? FunctionConfig.DefaultMemoryMb,
            TimeoutSeconds = timeout ?? FunctionConfig.DefaultTimeoutSeconds,
            Environment = environment,
            ReservedConcurrency = reserved,
            Description = description,
            Routes = routes,
            Async = asyncConfig,
            Schedules = schedules,
            RecursiveLoop = recursiveLoop,
            EphemeralStorageMb = ephemeralStorage,
            ConcurrencyPerInstance = concurrencyPerInstance,
            Idempotency = idempotency,
            Policy = policy,
            Alarms = alarms,
            DefaultAlarms = defaultAlarms,
            Slos = slos,
            DefaultSlo = defaultSlo,
            Sources = sources,
        };

        foreach (var error in FunctionConfigValidator.Validate(config))
        {
            AddValidationError(error);
        }

        if (_errors.Count > errorsBefore)
        {
            return null;
        }

        var codePath = Path.GetFullPath(Path.Combine(baseDirectory, code!));
        for (var i = 0; i < _routeSources.Count; i++)
        {
            _keyLines[$"routes[{i}]"] = _routeSources[i].Line;
        }

        var function = new FunctionManifest(config, codePath, alias, provisioned, build, _line) { KeyLines = _keyLines, Deployment = deployment };
        var declarations = _routeSources.Select((source, i) => new ManifestRouteDeclaration(_name, source.Field, source.Line, routes[i])).ToList();
        return new ManifestFunctionResult(function, declarations);
    }

    private void AddValidationError(Functions.ValidationError error)
    {
        // The validator speaks the API's field names; the manifest's user wrote the YAML keys.
        var field = error.Field;
        if (field.StartsWith("policy", StringComparison.Ordinal))
        {
            return; // ManifestPolicyReader has reported these on the statement's own line
        }

        if (field == "name")
        {
            Error(_prefix, $"the function name {error.Message}", _line);
        }
        else if (field.StartsWith("routes[", StringComparison.Ordinal))
        {
            var close = field.IndexOf(']', StringComparison.Ordinal);
            var index = int.Parse(field.AsSpan(7, close - 7), CultureInfo.InvariantCulture);
            var part = field[(close + 2)..];
            var source = _routeSources[index];
            if (source.ShortForm)
            {
                Error(source.Field, $"{part} {error.Message}", source.Line);
            }
            else
            {
                Error($"{source.Field}.{part}", error.Message, source.PartLines.GetValueOrDefault(part, source.Line));
            }
        }
        else
        {
            var key = field switch
            {
                "memoryMb" => "memory",
                "timeoutSeconds" => "timeout",
                _ => field,
            };
            Error($"{_prefix}.{key}", error.Message, _lines.GetValueOrDefault(field, _line));
        }
    }

    private string? RequiredString(Dictionary<string, (YamlNode Key, YamlNode Value)> settings, string key, string missing)
    {
        if (!settings.TryGetValue(key, out var entry) || YamlNodes.IsNull(entry.Value))
        {
            Error($"{_prefix}.{key}", missing, entry.Key is null ? _line : YamlNodes.Line(entry.Key));
            return null;
        }

        return OptionalString(settings, key);
    }

    private Tracing.RecursiveLoop? ReadRecursiveLoop(Dictionary<string, (YamlNode Key, YamlNode Value)> settings)
    {
        var text = OptionalString(settings, "recursiveLoop");
        if (text is null)
        {
            return null;
        }

        if (Enum.TryParse<Tracing.RecursiveLoop>(text, ignoreCase: false, out var loop) && Enum.IsDefined(loop) && !char.IsDigit(text[0]))
        {
            return loop;
        }

        Error($"{_prefix}.recursiveLoop", $"must be Terminate or Allow, was '{text}'", LineOf("recursiveLoop"));
        return null;
    }

    private string? OptionalString(Dictionary<string, (YamlNode Key, YamlNode Value)> settings, string key)
    {
        if (!settings.TryGetValue(key, out var entry) || YamlNodes.IsNull(entry.Value))
        {
            return null;
        }

        _lines[key] = YamlNodes.Line(entry.Value);
        if (entry.Value is not YamlScalarNode scalar)
        {
            Error($"{_prefix}.{key}", $"must be text, not {YamlNodes.Kind(entry.Value)}", YamlNodes.Line(entry.Value));
            return null;
        }

        var text = scalar.Value ?? "";
        if (text.Trim().Length == 0)
        {
            Error($"{_prefix}.{key}", "must not be blank", YamlNodes.Line(entry.Value));
            return null;
        }

        return text;
    }

    private int? OptionalInt(Dictionary<string, (YamlNode Key, YamlNode Value)> settings, string key, string validatorField, string expected)
    {
        if (!settings.TryGetValue(key, out var entry) || YamlNodes.IsNull(entry.Value))
        {
            return null;
        }

        _lines[validatorField] = YamlNodes.Line(entry.Value);
        if (entry.Value is YamlScalarNode { Value: { } text }
            && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        Error($"{_prefix}.{key}", $"{expected}, was {Shown(entry.Value)}", YamlNodes.Line(entry.Value));
        return null;
    }

    private double? OptionalSeconds(Dictionary<string, (YamlNode Key, YamlNode Value)> settings, string key, string validatorField)
    {
        if (!settings.TryGetValue(key, out var entry) || YamlNodes.IsNull(entry.Value))
        {
            return null;
        }

        _lines[validatorField] = YamlNodes.Line(entry.Value);
        if (entry.Value is YamlScalarNode { Value: { } text }
            && double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && double.IsFinite(seconds))
        {
            return seconds;
        }

        Error($"{_prefix}.{key}",
            $"must be a number of seconds (more than 0, at most {FunctionConfigValidator.MaxTimeoutSeconds}), was {Shown(entry.Value)}",
            YamlNodes.Line(entry.Value));
        return null;
    }

    private Dictionary<string, string> ReadEnvironment(Dictionary<string, (YamlNode Key, YamlNode Value)> settings)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!settings.TryGetValue("environment", out var entry) || YamlNodes.IsNull(entry.Value))
        {
            return environment;
        }

        if (entry.Value is not YamlMappingNode mapping)
        {
            Error($"{_prefix}.environment", $"must be a mapping of variable names to values, not {YamlNodes.Kind(entry.Value)}",
                YamlNodes.Line(entry.Value));
            return environment;
        }

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name })
            {
                Error($"{_prefix}.environment", "has a variable name that is not plain text", YamlNodes.Line(keyNode));
                continue;
            }

            var field = $"{_prefix}.environment.{name}";
            _lines[$"environment.{name}"] = YamlNodes.Line(keyNode);
            if (YamlNodes.IsNull(valueNode))
            {
                Error(field, "has no value; write '' for an empty string", YamlNodes.Line(keyNode));
            }
            else if (valueNode is not YamlScalarNode { Value: { } text })
            {
                Error(field, $"must be a string, number or boolean, not {YamlNodes.Kind(valueNode)}", YamlNodes.Line(valueNode));
            }
            else
            {
                environment[name] = text;
            }
        }

        return environment;
    }

    private List<HttpRouteConfig> ReadRoutes(Dictionary<string, (YamlNode Key, YamlNode Value)> settings, string? alias)
    {
        var routes = new List<HttpRouteConfig>();
        if (!settings.TryGetValue("routes", out var entry) || YamlNodes.IsNull(entry.Value))
        {
            return routes;
        }

        if (entry.Value is not YamlSequenceNode sequence)
        {
            Error($"{_prefix}.routes", $"must be a list of routes ('- GET /path'), not {YamlNodes.Kind(entry.Value)}",
                YamlNodes.Line(entry.Value));
            return routes;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var field = $"{_prefix}.routes[{i}]";
            var route = item switch
            {
                YamlScalarNode scalar when !YamlNodes.IsNull(scalar) => ReadShortRoute(scalar, field, alias),
                YamlMappingNode mapping => ReadLongRoute(mapping, field, alias),
                _ => null,
            };

            if (route is null)
            {
                if (item is not YamlScalarNode and not YamlMappingNode || YamlNodes.IsNull(item))
                {
                    Error(field, $"must be 'METHOD /path' or a mapping with 'method' and 'path', not {(YamlNodes.IsNull(item) ? "empty" : YamlNodes.Kind(item))}",
                        YamlNodes.Line(item));
                }

                continue;
            }

            routes.Add(route.Value.Route);
            _routeSources.Add(route.Value.Source);
        }

        return routes;
    }

    private (HttpRouteConfig Route, RouteSource Source)? ReadShortRoute(YamlScalarNode scalar, string field, string? alias)
    {
        var parts = (scalar.Value ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            Error(field, $"must be 'METHOD /path' (e.g. 'GET /orders/{{id}}'), was '{scalar.Value}'", YamlNodes.Line(scalar));
            return null;
        }

        var line = YamlNodes.Line(scalar);
        return (new HttpRouteConfig(parts[0].ToUpperInvariant(), parts[1], alias), new RouteSource(field, line, ShortForm: true, new Dictionary<string, int>()));
    }

    private (HttpRouteConfig Route, RouteSource Source)? ReadLongRoute(YamlMappingNode mapping, string field, string? alias)
    {
        string? method = null;
        string? path = null;
        RouteAuth? auth = null;
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!s_routeKeys.Contains(key))
            {
                Error($"{field}.{key}", KeySuggestion.UnknownKeyMessage(key, s_routeKeys), YamlNodes.Line(keyNode));
                ok = false;
                continue;
            }

            lines[key] = YamlNodes.Line(valueNode);
            if (key == "auth")
            {
                auth = ReadRouteAuth(valueNode, $"{field}.auth");
                ok &= auth is not null;
                continue;
            }

            var text = YamlNodes.ScalarText(valueNode);
            if (text is null)
            {
                Error($"{field}.{key}", YamlNodes.IsNull(valueNode) ? "must not be empty" : $"must be text, not {YamlNodes.Kind(valueNode)}",
                    YamlNodes.Line(valueNode));
                ok = false;
            }
            else if (key == "method")
            {
                method = text.Trim().ToUpperInvariant();
            }
            else
            {
                path = text.Trim();
            }
        }

        foreach (var required in s_requiredRouteKeys)
        {
            if (!lines.ContainsKey(required))
            {
                Error($"{field}.{required}", required == "method"
                    ? "is required: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY"
                    : "is required: a path starting with '/', e.g. /orders/{id}", YamlNodes.Line(mapping));
                ok = false;
            }
        }

        return ok ? (new HttpRouteConfig(method!, path!, alias) { Auth = auth }, new RouteSource(field, YamlNodes.Line(mapping), ShortForm: false, lines)) : null;
    }

    private static readonly IReadOnlyList<string> s_jwtKeys = ["issuer", "audience", "jwksUrl", "jwksFile"];

    /// <summary><c>auth: nimbus</c> or <c>auth: {jwt: {issuer, audience, jwksUrl | jwksFile}}</c>.</summary>
    private RouteAuth? ReadRouteAuth(YamlNode node, string field)
    {
        if (node is YamlScalarNode { Value: RouteAuth.NimbusType })
        {
            return RouteAuth.Nimbus;
        }

        if (node is not YamlMappingNode { Children.Count: 1 } mapping
            || mapping.Children.First() is not (YamlScalarNode { Value: RouteAuth.JwtType }, YamlMappingNode jwt))
        {
            Error(field, "must be 'nimbus' or {jwt: {issuer, audience, jwksUrl or jwksFile}}", YamlNodes.Line(node));
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in jwt.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!s_jwtKeys.Contains(key))
            {
                Error($"{field}.jwt.{key}", KeySuggestion.UnknownKeyMessage(key, s_jwtKeys), YamlNodes.Line(keyNode));
                return null;
            }

            if (YamlNodes.ScalarText(valueNode) is not { } text)
            {
                Error($"{field}.jwt.{key}", "must be text", YamlNodes.Line(valueNode));
                return null;
            }

            values[key] = text.Trim();
        }

        var auth = new RouteAuth
        {
            Type = RouteAuth.JwtType,
            Issuer = values.GetValueOrDefault("issuer"),
            Audience = values.GetValueOrDefault("audience"),
            JwksUrl = values.GetValueOrDefault("jwksUrl"),
            // A key file is relative to the manifest, like the code directory.
            JwksFile = values.GetValueOrDefault("jwksFile") is { } file ? ResolveManifestPath(file) : null,
        };
        var problems = auth.Check($"{field}.jwt").ToList();
        foreach (var problem in problems)
        {
            Error(problem.Field, problem.Message, YamlNodes.Line(jwt));
        }

        return problems.Count == 0 ? auth : null;
    }

    private string ResolveManifestPath(string path) => Path.GetFullPath(Path.Combine(_baseDirectory, path));

    private static string Shown(YamlNode node) => node is YamlScalarNode { Value: { } text } ? $"'{text}'" : YamlNodes.Kind(node);

    private int LineOf(string key) => _lines.GetValueOrDefault(key, _line);

    private void Error(string field, string message, int line)
    {
        // One message per field: a value the reader rejected is not judged again by the validator.
        if (_reported.Add(field))
        {
            _errors.Add(new ManifestError(field, message, line));
        }
    }

    /// <summary>Where a route was written: short form <c>- GET /x</c> or a mapping with its own lines per key.</summary>
    private sealed record RouteSource(string Field, int Line, bool ShortForm, Dictionary<string, int> PartLines);
}
