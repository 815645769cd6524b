using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Predictor.Core.Risk;
using Predictor.Daemon;
using Predictor.Daemon.Models;
using Predictor.Simulation;
using Predictor.Simulation.Datasets;

namespace Predictor.Tests.Daemon;

/// <summary>
/// A model is served what it was trained on: the features the daemon assesses in a scenario are, host by host and pass by
/// pass, the very values <c>predictor dataset</c> writes for the same simulated fleet (windows and detectors alike).
/// </summary>
public sealed class TrainServeParityTests
{
    [Fact]
    public async Task Dataset_SameFleetAsAScenario_RowsHoldTheFeaturesTheDaemonAssessed()
    {
        var recorder = new RecordingAssessor();
        string[] fleet = ["--Simulation:Hosts=12", "--Simulation:FailuresPerHostYear=300", "--Simulation:Seed=11", "--Logging:LogLevel:Default=None"];
        var span = TimeSpan.FromHours(6);
        await using (var app = DaemonComposition.Build(new RunSettings(span, 1e9, null, fleet, false), 
            configureServices: s => s.AddSingleton(sp => ActiveRiskModel.Fixed(new RiskAssessorChoice(recorder, null), sp.GetRequiredService<TimeProvider>()))))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await app.StartAsync(timeout.Token);
            await app.WaitForShutdownAsync(timeout.Token);
        }

        var options = new SimulationOptions { Hosts = 12, FailuresPerHostYear = 300, Seed = 11, Duration = span };
        var csv = new StringWriter();
        HostFeatureDataset.Write(SimulatedFleet.Create(options), TimeSpan.FromMinutes(5), TimeSpan.FromHours(48), csv, keepCensored: true);
        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(r => (r[0], r[1]));

        Assert.True(recorder.Seen.Count > 12 * 60, $"the daemon assessed {recorder.Seen.Count} host-passes");
        var compared = 0;
        foreach (var ((host, at), values) in recorder.Seen)
        {
            var row = rows[(host, at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))];
            for (var c = 2; c < header.Length - 1; c++)
            {
                var served = values.TryGetValue(header[c], out var v) ? (float)v : float.NaN;
                var trained = row[c].Length == 0 ? float.NaN : float.Parse(row[c], CultureInfo.InvariantCulture);
                Assert.True(served.Equals(trained), $"{host} at {at:u}: {header[c]} served {served}, written {trained}");
                compared++;
            }
        }

        Assert.Contains("mem_ce_total.cp_martingale", header);
        Assert.Equal(recorder.Seen.Count * (header.Length - 3), compared); // every feature column of every host-pass the daemon assessed
        Assert.True(header.Length - 3 >= 100, $"{header.Length - 3} features: the windows' and the detectors'");
    }

    /// <summary>Keeps every host's features as the daemon assessed them, and finds no host at risk.</summary>
    private sealed class RecordingAssessor : IRiskAssessor
    {
        public ConcurrentDictionary<(string Host, DateTimeOffset At), IReadOnlyDictionary<string, double>> Seen { get; } = new();

        public string Name => "recording";

        public IReadOnlyList<RiskAssessment> Assess(IReadOnlyList<HostFeatures> hosts, DateTimeOffset now)
        {
            foreach (var host in hosts)
            {
                Seen[(host.Host, now)] = host.Values;
            }

            return [.. hosts.Select(h => new RiskAssessment(h.Host, now, 0, TimeSpan.FromHours(48), null, [], Name))];
        }
    }
}
