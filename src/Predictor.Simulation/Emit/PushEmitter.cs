using Predictor.Daemon.Telemetry;
using System.Net;
using System.Net.Http.Headers;

namespace Predictor.Simulation.Emit;

/// <summary>
/// POSTs the simulator's line protocol to an InfluxDB-compatible <c>/write?db=…&amp;precision=s</c>, in bodies of at
/// most <see cref="SimulationEmitSettings.EmitBatchBytes"/> split at line boundaries, one after another. Only 204 is
/// success: a partial write (400) or any other status is an error naming the target and InfluxDB's message.
/// </summary>
internal sealed class PushEmitter(SimulatedFleet fleet, HttpClient http, Func<CancellationToken, Task<Uri>> baseAddress, string database, string? token, int batchBytes)
    : LineProtocolEmitter(fleet)
{
    private Uri? _write;

    public override string Target => _write?.ToString() ?? "the push endpoint";

    protected override async Task SendAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        _write ??= new Uri(await baseAddress(cancellationToken).ConfigureAwait(false), $"write?db={Uri.EscapeDataString(database)}&precision=s");
        var rest = lines;
        while (!rest.IsEmpty)
        {
            var end = rest.Length <= batchBytes ? rest.Length : rest.Span[..batchBytes].LastIndexOf((byte)'\n') + 1;
            if (end <= 0)
            {
                throw new InvalidOperationException($"A line of the simulator's telemetry is longer than Simulation:EmitBatchBytes ({batchBytes}).");
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, _write) { Content = new ReadOnlyMemoryContent(rest[..end]) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Token", token);
            }

            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.NoContent)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new HttpRequestException($"{_write} answered {(int)response.StatusCode} {response.ReasonPhrase}: {body}", null, response.StatusCode);
            }

            rest = rest[end..];
        }
    }
}
