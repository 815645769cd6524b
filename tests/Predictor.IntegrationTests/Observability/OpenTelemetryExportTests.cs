using System.Text;
using Predictor.Testing.Http;
using Predictor.Tests.Daemon.Telemetry;

namespace Predictor.IntegrationTests.Observability;

/// <summary>A scenario run with <c>OpenTelemetry:Endpoint</c> set exports its traces and metrics to an OTLP/HTTP receiver.</summary>
public sealed class OpenTelemetryExportTests
{
    [Fact]
    public async Task Scenario_OtlpEndpointConfigured_ExportsPassAndStepSpansAndTheDaemonsMetrics()
    {
        await using var receiver = await RecordingServer.StartAsync();
        receiver.Respond = _ => (200, "");

        // enough hosts that the guard lets the rollout and the evacuations run, so there are steps to trace
        var outcome = await ScenarioRun.RunAsync(TimeSpan.FromHours(12),
            "--Simulation:Hosts=80", "--Simulation:FailuresPerHostYear=40", $"--OpenTelemetry:Endpoint={receiver.BaseUrl}");

        Assert.True(outcome.Steps > 0, "the scenario ran no step");
        var traces = receiver.Requests.Where(r => r.Path == "/v1/traces").ToList();
        var metrics = receiver.Requests.Where(r => r.Path == "/v1/metrics").ToList();
        Assert.NotEmpty(traces);
        Assert.NotEmpty(metrics);
        Assert.All(traces.Concat(metrics), r => Assert.Equal(("POST", "application/x-protobuf"), (r.Method, r.Headers["Content-Type"])));
        // OTLP is protobuf: names and attribute keys travel as plain UTF-8 strings inside it
        var spans = Encoding.UTF8.GetString([.. traces.SelectMany(r => r.Body)]);
        Assert.Contains("predictor.pass", spans, StringComparison.Ordinal);
        Assert.Contains("predictor.step", spans, StringComparison.Ordinal);
        Assert.Contains("predictor.plan.id", spans, StringComparison.Ordinal);
        Assert.Contains("predictor.host", spans, StringComparison.Ordinal);
        Assert.Contains("service.name", spans, StringComparison.Ordinal);
        var instruments = Encoding.UTF8.GetString([.. metrics.SelectMany(r => r.Body)]);
        Assert.Contains("predictor.daemon.passes", instruments, StringComparison.Ordinal);
        Assert.Contains("predictor.daemon.steps", instruments, StringComparison.Ordinal);
    }
}
