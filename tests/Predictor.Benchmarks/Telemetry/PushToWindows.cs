using System.Diagnostics;
using System.Globalization;
using Predictor.Core.Alerts;
using Predictor.Core.Telemetry;
using Predictor.Learning.TimeSeries.Streaming;
using Predictor.Telemetry.LineProtocol;
using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Push;
using Predictor.Telemetry.Windows;
using Predictor.Testing;

namespace Predictor.Benchmarks.Telemetry;

/// <summary>
/// <c>-- push-windows [batches]</c>: the daemon's push path without HTTP, one thread, on 5000-line batches of ten
/// fields without timestamps (each batch a minute later on a manual clock): parse and map into nothing, into the
/// windows, and into the windows plus the streaming detectors, as <c>predictor run --Telemetry:Source=Push</c> does.
/// Prints lines per second and CPU time per sample for each, so the share of each stage can be read on a shared machine.
/// </summary>
internal static class PushToWindows
{
    private const int Lines = 5000;

    public static void Run(string[] args)
    {
        var batches = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        var body = Batch();
        Measure("parse + map", _ => { }, batches, body);
        Measure("+ windows", sinks => sinks.Add(new HostWindowStore()), batches, body);
        Measure("+ windows + detectors", sinks =>
        {
            sinks.Add(new HostWindowStore());
            sinks.Add(new HostSignalDetectors(new HostSignalDetectorOptions()));
        }, batches, body);
    }

    private static void Measure(string name, Action<List<ITelemetrySink>> configure, int batches, byte[] body)
    {
        var sinks = new List<ITelemetrySink>();
        configure(sinks);
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));
        var handler = new InfluxPushHandler(new PushOptions(), new SignalMapper(new SignalMappingOptions(), new FanOut([.. sinks])), null, new NoAlerts(), clock);
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            handler.IngestAsync(body, TimestampPrecision.Seconds, CancellationToken.None).GetAwaiter().GetResult();
        }

        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < batches; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            handler.IngestAsync(body, TimestampPrecision.Seconds, CancellationToken.None).GetAwaiter().GetResult();
        }

        process.Refresh();
        var lines = (double)batches * Lines;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-24} {lines / wall.Elapsed.TotalSeconds,12:0} lines/s   {(process.TotalProcessorTime - cpu).TotalNanoseconds / (lines * 10),8:0} ns CPU per sample"));
    }

    private static byte[] Batch() => HostTelemetryLines.Create(Lines, i => $"h{i + 1:D4}", _ => null);

    private sealed class FanOut(ITelemetrySink[] sinks) : ITelemetrySink
    {
        public void Write(in TelemetrySample sample)
        {
            foreach (var sink in sinks)
            {
                sink.Write(sample);
            }
        }

        public void Write(string host, DateTimeOffset time, ReadOnlySpan<SignalReading> readings)
        {
            foreach (var sink in sinks)
            {
                sink.Write(host, time, readings);
            }
        }
    }

    private sealed class NoAlerts : IAlertPublisher
    {
        public Task PublishAsync(Alert alert, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
