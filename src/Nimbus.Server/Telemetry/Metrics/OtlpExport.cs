using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Nimbus.Server.Telemetry.Metrics;

/// <summary>Exports the <see cref="InvocationMeter.MeterName"/> instruments over OTLP/HTTP (protobuf) with the OpenTelemetry SDK.</summary>
public static class OtlpExport
{
    public const string ServiceName = "nimbus";

    public static void Add(IServiceCollection services, Uri endpoint, TimeSpan interval) =>
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(InvocationMeter.MeterName)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                    exporter.Endpoint = new Uri(endpoint, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)interval.TotalMilliseconds;
                }));
}
