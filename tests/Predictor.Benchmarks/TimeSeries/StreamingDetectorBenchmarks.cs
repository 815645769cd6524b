using BenchmarkDotNet.Attributes;
using Predictor.Core.Telemetry;
using Predictor.Learning.TimeSeries;
using Predictor.Learning.TimeSeries.Iid;
using Predictor.Learning.TimeSeries.SpectralResidual;
using Predictor.Learning.TimeSeries.Ssa;
using Predictor.Learning.TimeSeries.Streaming;

namespace Predictor.Benchmarks.TimeSeries;

/// <summary>
/// Points per second of each streaming detector with ML.NET defaults, in steady state (warmed up, so the
/// allocation column shows per-point allocation). Each invocation feeds <see cref="Points"/> points;
/// points/s = Points / Mean. Run:
/// <c>dotnet run -c Release --project tests/Predictor.Benchmarks -- --filter '*StreamingDetectorBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class StreamingDetectorBenchmarks
{
    internal const int Points = 10_000;
    private double[] _series = [];
    private TelemetrySample[] _samples = [];
    private IidSpikeDetector _iidSpike = null!;
    private IidChangePointDetector _iidChange = null!;
    private SsaSpikeDetector _ssaSpike = null!;
    private SsaChangePointDetector _ssaChange = null!;
    private SrCnnDetector _sr = null!;
    private HostSignalDetectors _hosts = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _series = Enumerable.Range(0, Points).Select(i => (10 * Math.Sin(i / 7.0)) + random.NextDouble()).ToArray();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        // 250 hosts × 40 signals, one sample each per minute.
        _samples = Enumerable.Range(0, Points)
            .Select(i => new TelemetrySample($"host{i % 250:D3}", $"signal_{(i / 250) % 40}", null, start.AddMinutes(i / 10_000.0), _series[i]))
            .ToArray();
        _iidSpike = new IidSpikeDetector(new IidSpikeDetectorOptions());
        _iidChange = new IidChangePointDetector(new IidChangePointDetectorOptions());
        _ssaSpike = new SsaSpikeDetector(new SsaSpikeDetectorOptions());
        _ssaChange = new SsaChangePointDetector(new SsaChangePointDetectorOptions());
        _sr = new SrCnnDetector(new SrCnnDetectorOptions());
        _hosts = new HostSignalDetectors(new HostSignalDetectorOptions());
        foreach (var detector in new IStreamingAnomalyDetector[] { _iidSpike, _iidChange, _ssaSpike, _ssaChange, _sr })
        {
            Feed(detector);
        }

        for (int i = 0; i < 20; i++)
        {
            FeedHosts();
        }
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public double IidSpike() => Feed(_iidSpike);

    [Benchmark(OperationsPerInvoke = Points)]
    public double IidChangePoint() => Feed(_iidChange);

    [Benchmark(OperationsPerInvoke = Points)]
    public double SsaSpike() => Feed(_ssaSpike);

    [Benchmark(OperationsPerInvoke = Points)]
    public double SsaChangePoint() => Feed(_ssaChange);

    [Benchmark(OperationsPerInvoke = Points)]
    public double SrCnn() => Feed(_sr);

    /// <summary>The daemon path: lookup of the (host, signal) state plus both IID detectors.</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public int HostSignalDetectorsWrite() => FeedHosts();

    private double Feed(IStreamingAnomalyDetector detector)
    {
        double sum = 0;
        var series = _series;
        for (int i = 0; i < series.Length; i++)
        {
            sum += detector.Update(series[i]).Score;
        }

        return sum;
    }

    private int FeedHosts()
    {
        var samples = _samples;
        for (int i = 0; i < samples.Length; i++)
        {
            _hosts.Write(samples[i]);
        }

        return samples.Length;
    }
}
