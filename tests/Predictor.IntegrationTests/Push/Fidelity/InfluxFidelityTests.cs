using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Predictor.IntegrationTests.Influx;
using Predictor.Telemetry.LineProtocol;
using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Push;
using Predictor.Telemetry.Spool;
using Predictor.Testing.Alerts;
using Predictor.Testing.Telemetry;
using Xunit.Abstractions;

namespace Predictor.IntegrationTests.Push.Fidelity;

/// <summary>
/// The push endpoints against the real thing: every case of <see cref="FidelityCorpus"/> is written to a Debian
/// influxd directly and, the same bytes, to the push endpoint, which spools what it accepts and forwards it to a second
/// influxd. A case agrees when both answer the same status and both influxd then hold the same series, field types and
/// points. Separately, the endpoint's own reading of what it accepted (what the daemon's windows see) must match what the
/// first influxd stored. Every case that does not agree is listed in <see cref="KnownDifferences"/> with the reason (and
/// in README); the test fails on any other difference, on a difference that went away, and below 97% agreement.
/// </summary>
[Collection(InfluxdCollection.Name)]
public sealed class InfluxFidelityTests(InfluxdFixture influxd, ITestOutputHelper output) : IAsyncLifetime
{
    private const string PushToken = "fidelity-push-token-01";

    /// <summary>Where the endpoint deliberately or unavoidably differs from InfluxDB 1.6, case by case (README lists them too).</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownDifferences = new Dictionary<string, string>
    {
        ["prec-u-spelled-us"] = "v1 precision=us: InfluxDB 1.x reads an unknown precision as nanoseconds (a microsecond timestamp lands in 1970); the endpoint refuses it with 400 naming n, ns, u, ms, s, m, h",
        ["prec-unknown"] = "v1 precision=x: as above, refused instead of read as nanoseconds",
        ["utf8-invalid-measurement"] = "a measurement that is not UTF-8: influxd answers 500 (and stores nothing, but a retry of the same write is stored); the endpoint refuses the line with 400",
        ["utf8-invalid-fieldkey"] = "a field key that is not UTF-8: as above",
        ["write-conflict-in-batch"] = "a new field with two types in one write: influxd refuses the whole write (400 field type conflict, nothing stored); the endpoint accepts it (204), and the forwarder stores the lines of the type InfluxDB takes first and keeps the other in the dead-letter file",
        ["write-conflict-int-float"] = "as above, integer then float",
        ["lp-many-lines-some-bad"] = "as above: beside malformed lines (400 partial write from both), v=4i conflicts with the new float field v, so influxd stores none of the batch and the endpoint's forwarder stores the valid lines and dead-letters v=4i",
        ["write-conflict-across-writes"] = "a type that conflicts with what an earlier write stored: influxd answers 400 partial write; the endpoint cannot know what InfluxDB holds and answers 204, and the forwarder keeps the refused line in the dead-letter file; both store the same",
    };

    /// <summary>Cases both store alike but the endpoint reads differently from what influxd shows.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownMisreadings = new Dictionary<string, string>
    {
        ["esc-backslash-comma-measurement"] = @"c\,pu: influxd accepts it but files it where no query finds it (SHOW MEASUREMENTS says c,pu, SELECT finds nothing); the daemon reads the measurement c\,pu",
    };

    private readonly InfluxdFixture _target = new();
    private readonly ConcurrentDictionary<string, InfluxPushHandler> _handlers = new();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "predictor-fidelity-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private WebApplication? _app;
    private Uri? _push;

    public async Task InitializeAsync()
    {
        await _target.InitializeAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapInfluxPush(context => _handlers[context.Request.Query["db"].ToString() is { Length: > 0 } db ? db : context.Request.Query["bucket"].ToString()]);
        await _app.StartAsync();
        _push = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await _target.DisposeAsync();
        _http.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Corpus_PushEndpointAndInfluxd_AgreeOnAtLeast97PercentAndEveryDifferenceIsKnown()
    {
        var cases = FidelityCorpus.All;
        Assert.Equal(cases.Count, cases.Select(c => c.Id).Distinct().Count());
        var outcomes = new Outcome[cases.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            outcomes[i] = await RunAsync(cases[i], $"fid{i:D3}"));

        var disagreeing = outcomes.Where(o => !o.Agrees).ToList();
        foreach (var o in disagreeing)
        {
            output.WriteLine(o.Describe(KnownDifferences.GetValueOrDefault(o.Case.Id)));
        }

        var misread = outcomes.Where(o => o.Agrees && !o.ReadsAlike).ToList();
        foreach (var o in misread)
        {
            output.WriteLine($"{(KnownMisreadings.TryGetValue(o.Case.Id, out var why) ? "known, " + why : "UNEXPECTED")}: READ DIFFERENTLY {o.Case}\n  influxd stored:\n    {Indent(o.Direct)}\n  the endpoint read:\n    {Indent(o.Reading)}");
        }

        var agree = outcomes.Length - disagreeing.Count;
        var share = (double)agree / outcomes.Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agreement: {agree} of {outcomes.Length} cases ({share:P1}); the endpoint's reading matches influxd's on {agree - misread.Count} of the {agree} agreeing cases; dead-lettered lines: {outcomes.Sum(o => o.DeadLettered)}"));

        Assert.Empty(outcomes.Where(o => o.Statuses.Any(s => (int)s.Ours >= 500)).Select(o => o.Case.Id));

        // what the endpoint acknowledged and InfluxDB then refused is in the dead-letter file, line by line
        Assert.Equal(
            new Dictionary<string, int> { ["write-conflict-in-batch"] = 1, ["write-conflict-int-float"] = 1, ["lp-many-lines-some-bad"] = 1, ["write-conflict-across-writes"] = 1 },
            outcomes.Where(o => o.DeadLettered > 0).ToDictionary(o => o.Case.Id, o => o.DeadLettered));
        Assert.Equal(KnownMisreadings.Keys.Order(StringComparer.Ordinal), misread.Select(o => o.Case.Id).Order(StringComparer.Ordinal));
        Assert.Equal(KnownDifferences.Keys.Order(StringComparer.Ordinal), disagreeing.Select(o => o.Case.Id).Order(StringComparer.Ordinal));
        Assert.True(share >= 0.97, $"agreement {share:P1} is below 97%");
    }

    private async Task<Outcome> RunAsync(FidelityCase @case, string db)
    {
        await influxd.CreateClientAsync(db);
        var forwardTo = await _target.CreateClientAsync(db, o => o.MaxRetries = 0);
        var spoolOptions = new SpoolOptions { Directory = Path.Combine(_root, db), FsyncPolicy = SpoolFsyncPolicy.Never };
        using var spool = new DiskSpool(spoolOptions, TimeProvider.System);
        var alerts = new CollectingAlertPublisher();
        _handlers[db] = new InfluxPushHandler(
            new PushOptions { Tokens = [PushToken], Forward = true },
            new SignalMapper(new SignalMappingOptions(), new CollectingSink()), spool, alerts, TimeProvider.System);
        var deadLetters = DeadLetterFile.For(spoolOptions);
        using var stop = new CancellationTokenSource();
        var forwarding = new SpoolForwarder(spool, forwardTo, deadLetters, alerts, TimeProvider.System).RunAsync(stop.Token);

        var from = Nanoseconds(DateTimeOffset.UtcNow.AddHours(-1));
        var statuses = new List<(HttpStatusCode Direct, HttpStatusCode Ours, string OursBody)>();
        foreach (var request in @case.Requests)
        {
            var status = await PostDirectAsync(db, request);
            var (ours, body) = await PostPushAsync(db, request);
            statuses.Add((status, ours, body));
        }

        for (var waited = 0; spool.PendingBytes > 0; waited++)
        {
            Assert.True(waited < 3000, $"{@case.Id}: the spool did not drain to the second influxd in 30 s");
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await forwarding;
        var now = (from, Nanoseconds(DateTimeOffset.UtcNow.AddSeconds(1)));
        var direct = await StoredData.QueryAsync(_http, influxd.BaseAddress, db, now);
        var forwarded = await StoredData.QueryAsync(_http, _target.BaseAddress, db, now);
        var reading = StoredData.Read(@case, now);
        var deadLettered = deadLetters.HasLines ? File.ReadAllLines(deadLetters.Path).Count(l => !l.StartsWith('#')) : 0;
        return new Outcome(@case, statuses, direct, forwarded, reading, deadLettered);
    }

    private async Task<HttpStatusCode> PostDirectAsync(string db, FidelityRequest request)
    {
        var precision = request.V1Precision.Length > 0 ? "&precision=" + Uri.EscapeDataString(request.V1Precision) : "";
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(influxd.BaseAddress, $"write?db={db}{precision}")) { Content = new ByteArrayContent(request.Body) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{InfluxdFixture.AdminUser}:{InfluxdFixture.AdminPassword}")));
        using var response = await _http.SendAsync(message);
        return response.StatusCode;
    }

    private async Task<(HttpStatusCode, string)> PostPushAsync(string db, FidelityRequest request)
    {
        var precision = request.Precision.Length > 0 ? "&precision=" + Uri.EscapeDataString(request.Precision) : "";
        var path = request.V2 ? $"api/v2/write?org=o&bucket={db}{precision}" : $"write?db={db}{precision}";
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(_push!, path)) { Content = new ByteArrayContent(request.Body) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Token", PushToken);
        using var response = await _http.SendAsync(message);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Indent(StoredData data) => data.ToString().Replace("\n", "\n    ", StringComparison.Ordinal);

    private static long Nanoseconds(DateTimeOffset time) => TimestampPrecisions.ToTimestamp(time, TimestampPrecision.Nanoseconds);

    private sealed record Outcome(
        FidelityCase Case,
        IReadOnlyList<(HttpStatusCode Direct, HttpStatusCode Ours, string OursBody)> Statuses,
        StoredData Direct,
        StoredData Forwarded,
        StoredData Reading,
        int DeadLettered)
    {
        public bool Agrees => Statuses.All(s => s.Direct == s.Ours) && Direct.ToString() == Forwarded.ToString();

        public bool ReadsAlike => Direct.ToString() == Reading.ToString();

        public string Describe(string? known) =>
            $"{(known is null ? "UNEXPECTED" : "known")} {Case}\n  {(known is null ? "" : known + "\n  ")}statuses (influxd, endpoint): {string.Join(", ", Statuses.Select(s => $"{(int)s.Direct}/{(int)s.Ours} {s.OursBody}"))}\n" +
            $"  influxd stored:\n    {Indent(Direct)}\n  forwarded:\n    {Indent(Forwarded)}\n  influxd's series: {string.Join(" ", Direct.Series)}\n  dead-lettered: {DeadLettered}";
    }
}
