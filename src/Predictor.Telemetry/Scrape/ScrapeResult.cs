namespace Predictor.Telemetry.Scrape;

/// <summary>One scrape of one target: samples read, samples mapped to signals, samples of families no rule covers, malformed lines.</summary>
public sealed record ScrapeResult(string Host, int Samples, int Mapped, int Ignored, IReadOnlyList<PrometheusParseError> Errors);
