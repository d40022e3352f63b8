using System.Text.Json;
using Nimbus.Core.Functions;

namespace Nimbus.Server.Storage;

/// <summary>The stored JSON form of a function configuration, shared by the SQLite and PostgreSQL stores.</summary>
internal static class FunctionConfigJson
{
    /// <summary>
    /// Serializes with environment keys in ordinal order, so that the same configuration always gives the same text:
    /// publishing compares these texts to decide whether <c>$LATEST</c> changed since the newest version.
    /// </summary>
    public static string Serialize(FunctionConfig config)
    {
        var canonical = config with { Environment = new SortedDictionary<string, string>(config.Environment.ToDictionary(), StringComparer.Ordinal) };
        return JsonSerializer.Serialize(canonical, StoreJsonContext.Default.FunctionConfig);
    }

    public static FunctionConfig Deserialize(string json) =>
        JsonSerializer.Deserialize(json, StoreJsonContext.Default.FunctionConfig)
        ?? throw new InvalidDataException("stored function configuration is null");
}
