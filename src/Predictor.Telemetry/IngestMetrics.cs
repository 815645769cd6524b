using System.Diagnostics.Metrics;

namespace Predictor.Telemetry;

/// <summary>Ingest instruments on the telemetry meter, <c>Predictor.Telemetry</c>; dotted lower-case names with units.</summary>
internal static class IngestMetrics
{
    public static readonly Meter Meter = new("Predictor.Telemetry");

    public static readonly Counter<long> InfluxLinesWritten = Meter.CreateCounter<long>("predictor.telemetry.influx.lines_written", "{line}", "Lines InfluxDB accepted.");

    public static readonly Counter<long> InfluxRetries = Meter.CreateCounter<long>("predictor.telemetry.influx.retries", "{attempt}", "HTTP attempts to InfluxDB retried after a transient failure.");

    public static readonly Counter<long> PushLinesAccepted = Meter.CreateCounter<long>("predictor.telemetry.push.lines_accepted", "{line}", "Pushed lines parsed and accepted.");

    public static readonly Counter<long> PushLinesRejected = Meter.CreateCounter<long>("predictor.telemetry.push.lines_rejected", "{line}", "Pushed lines rejected as malformed.");

    public static readonly Counter<long> SamplesMapped = Meter.CreateCounter<long>("predictor.telemetry.samples_mapped", "{sample}", "Samples mapped to a signal and written to the sink.");

    public static readonly Counter<long> SamplesUnmapped = Meter.CreateCounter<long>("predictor.telemetry.samples_unmapped", "{sample}", "Field values no mapping rule claimed.");

    public static readonly Counter<long> SamplesUnknownHost = Meter.CreateCounter<long>("predictor.telemetry.samples_unknown_host", "{sample}", "Samples dropped because the host is not in the inventory.");

    public static readonly Counter<long> SpoolBytesAppended = Meter.CreateCounter<long>("predictor.telemetry.spool.bytes_appended", "By", "Bytes appended to the on-disk spool.");

    public static readonly Counter<long> SpoolRejected = Meter.CreateCounter<long>("predictor.telemetry.spool.rejected_batches", "{batch}", "Batches refused because the spool was full.");

    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("predictor.telemetry.spool.dead_lettered", "{line}", "Forwarded lines InfluxDB refused, kept in the dead-letter file.");

    public static readonly Counter<long> DeadLetterLost = Meter.CreateCounter<long>("predictor.telemetry.spool.dead_letter_lost", "{line}", "Forwarded lines InfluxDB refused that the full dead-letter file could not keep.");

    public static readonly Counter<long> ScrapeFailures = Meter.CreateCounter<long>("predictor.telemetry.scrape.failures", "{scrape}", "node_exporter scrapes that failed.");
}
