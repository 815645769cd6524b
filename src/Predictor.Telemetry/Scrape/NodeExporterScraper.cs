using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Predictor.Core.Configuration;
using Predictor.Telemetry.Mapping;

namespace Predictor.Telemetry.Scrape;

/// <summary>
/// Scrapes node_exporter targets every <see cref="ScrapeOptions.Interval"/> on the injected clock and writes the
/// samples its rules map to signals through the <see cref="SignalMapper"/> (which counts unknown hosts).
/// A failed scrape is logged and counted; it never stops the loop.
/// </summary>
public sealed class NodeExporterScraper
{
    private readonly ScrapeOptions _options;
    private readonly HttpClient _http;
    private readonly SignalMapper _mapper;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FrozenDictionary<string, CompiledRule[]> _rules;
    private readonly FrozenSet<string> _signalNames;
    private readonly ResiliencePipeline _pipeline;

    /// <param name="time">The clock that stamps samples without a timestamp and drives <see cref="RunAsync"/>.</param>
    /// <param name="networkTime">The clock of retry delays and attempt timeouts (often <paramref name="time"/>). A daemon on a
    /// virtual clock passes the real one here, since a network wait must not depend on simulated time advancing.</param>
    public NodeExporterScraper(ScrapeOptions options, HttpClient http, SignalMapper mapper, IEnumerable<string> signalNames, TimeProvider time, TimeProvider networkTime, ILogger<NodeExporterScraper>? logger = null)
    {
        OptionsGuard.ThrowIfInvalid(options, nameof(options));

        _options = options;
        _http = http;
        _mapper = mapper;
        _time = time;
        _logger = logger ?? NullLogger<NodeExporterScraper>.Instance;
        _signalNames = signalNames.ToFrozenSet(StringComparer.Ordinal);
        _rules = options.Rules
            .GroupBy(r => r.Metric, StringComparer.Ordinal)
            .ToFrozenDictionary(
                g => g.Key,
                g => g.Select(r => new CompiledRule(r.Signal, [.. r.ComponentLabels], r.LabelPatterns.Select(p => (p.Key, new Regex("^(?:" + p.Value + ")$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)))).ToArray())).ToArray(),
                StringComparer.Ordinal);
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = networkTime ?? _time }
            .AddRetry(new RetryStrategyOptions
            {
                // a connection failure or timeout is retried once; an HTTP error status is the target's answer, not retried
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(e => e.StatusCode is null).Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = 1,
                Delay = TimeSpan.FromMilliseconds(200),
                UseJitter = true,
            })
            .AddTimeout(options.Timeout)
            .Build();
    }

    /// <summary>Scrapes every target each interval until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        do
        {
            await ScrapeAllAsync(cancellationToken);
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    /// <summary>Scrapes every target once, concurrently; a target that cannot be read is logged and counted, not thrown.</summary>
    public Task ScrapeAllAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_options.Targets.Select(t => ScrapeLoggedAsync(t, cancellationToken)));

    /// <summary>One scrape of one target. Throws <see cref="HttpRequestException"/> or <see cref="TimeoutRejectedException"/> when it cannot be read.</summary>
    public async Task<ScrapeResult> ScrapeAsync(ScrapeTarget target, CancellationToken cancellationToken)
    {
        var text = await _pipeline.ExecuteAsync(
            async ct =>
            {
                using var response = await _http.GetAsync(target.Url, ct);
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadAsStringAsync(ct);
            },
            cancellationToken);
        var scrapedAt = _time.GetUtcNow();
        var (samples, errors) = PrometheusTextParser.Parse(text);
        if (errors.Count > 0)
        {
            Log.MalformedExposition(_logger, target.Host, errors.Count, errors[0].ToString());
        }

        var mapped = 0;
        var ignored = 0;
        foreach (var sample in samples)
        {
            var time = sample.TimestampMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : scrapedAt;
            if (!double.IsFinite(sample.Value))
            {
                ignored++;
                continue;
            }

            if (_rules.TryGetValue(sample.Name, out var rules))
            {
                var rule = rules.FirstOrDefault(r => r.Matches(sample));
                if (rule is not null)
                {
                    mapped += _mapper.MapSignal(target.Host, rule.Signal, rule.Component(sample), sample.Value, time) ? 1 : 0;
                    continue;
                }
            }
            else if (_signalNames.Contains(sample.Name))
            {
                var component = new[] { "disk", "dimm", "fan", "psu", "nic", "sensor" }.Select(l => sample.Labels.GetValueOrDefault(l)).FirstOrDefault(v => v is not null);
                mapped += _mapper.MapSignal(target.Host, sample.Name, component, sample.Value, time) ? 1 : 0;
                continue;
            }

            ignored++;
        }

        return new ScrapeResult(target.Host, samples.Count, mapped, ignored, errors);
    }

    private async Task ScrapeLoggedAsync(ScrapeTarget target, CancellationToken cancellationToken)
    {
        try
        {
            await ScrapeAsync(target, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            IngestMetrics.ScrapeFailures.Add(1);
            Log.ScrapeFailed(_logger, target.Host, target.Url!, e.Message);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private sealed record CompiledRule(string Signal, string[] ComponentLabels, (string Label, Regex Pattern)[] Patterns)
    {
        public bool Matches(PrometheusSample sample) =>
            Patterns.All(p => sample.Labels.TryGetValue(p.Label, out var v) && p.Pattern.IsMatch(v));

        public string? Component(PrometheusSample sample)
        {
            var parts = ComponentLabels.Select(l => sample.Labels.GetValueOrDefault(l)).Where(v => !string.IsNullOrEmpty(v)).ToArray();
            return parts.Length == 0 ? null : string.Join('/', parts);
        }
    }
}
