using BenchmarkDotNet.Attributes;
using Predictor.Core.Alerts;
using Predictor.Telemetry.LineProtocol;
using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Push;
using Predictor.Testing.Telemetry;

namespace Predictor.Benchmarks.Telemetry;

/// <summary>
/// The push handler without HTTP: parse a 5000-line batch and map every field to a signal (ten per line).
/// Mean time is per line. <c>dotnet run -c Release --project tests/Predictor.Benchmarks -- --filter '*PushIngest*'</c>
/// </summary>
[MemoryDiagnoser]
public class PushIngestBenchmark
{
    private const int Lines = 5000;
    private InfluxPushHandler _handler = null!;
    private byte[] _batch = [];

    [GlobalSetup]
    public void Setup()
    {
        _batch = HostTelemetryLines.Create(Lines, i => $"h{i:D5}", _ => "1767225600");
        _handler = new InfluxPushHandler(new PushOptions(), new SignalMapper(new SignalMappingOptions(), NullSink.Instance), null, new NoAlerts(), TimeProvider.System);
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int ParseAndMap() => _handler.IngestAsync(_batch, TimestampPrecision.Seconds, CancellationToken.None).GetAwaiter().GetResult().Accepted;

    private sealed class NoAlerts : IAlertPublisher
    {
        public Task PublishAsync(Alert alert, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
