using System.Text.Json.Serialization;

namespace Nimbus.Functions.Tests;

[JsonSerializable(typeof(FunctionHostTests.Order))]
[JsonSerializable(typeof(FunctionHostTests.Receipt))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
