using System.Net;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Simulation.Emit;

/// <summary>Writes the simulator's line protocol to InfluxDB (v1 <c>/write</c>, batched and retried by the client), creating the database on first use.</summary>
internal sealed class InfluxEmitter(SimulatedFleet fleet, InfluxClient client) : LineProtocolEmitter(fleet)
{
    private bool _databaseReady;

    public override string Target => new Uri(client.Options.BaseAddress, "write?db=" + Uri.EscapeDataString(client.Options.Database)).ToString();

    protected override async Task SendAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        if (!_databaseReady)
        {
            // CREATE DATABASE is idempotent; without it a fresh InfluxDB answers 404 "database not found". A user without
            // admin rights may not create it: then the database is expected to exist, and the write says if it does not.
            try
            {
                await client.ExecuteAsync($"CREATE DATABASE \"{client.Options.Database.Replace("\"", "\\\"", StringComparison.Ordinal)}\"", cancellationToken).ConfigureAwait(false);
            }
            catch (InfluxException e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized || e.Message.Contains("requires admin", StringComparison.OrdinalIgnoreCase))
            {
            }

            _databaseReady = true;
        }

        await client.WriteAsync(lines, cancellationToken, TimestampPrecision.Seconds).ConfigureAwait(false);
    }
}
