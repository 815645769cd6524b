using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Testing;
using Predictor.Core.Alerts;
using Predictor.Daemon.Features;
using Predictor.Daemon.Models;
using Predictor.Learning.Lifecycle;
using Predictor.Learning.Rules;
using Predictor.Testing;

namespace Predictor.Daemon.Tests.Models;

/// <summary>The daemon switches models without a restart, and never to one that does not load.</summary>
public sealed class ActiveRiskModelTests : IDisposable
{
    private static readonly string Shipped = Path.Combine(AppContext.BaseDirectory, "models", "host-failure.json");
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-models-").FullName;
    private readonly FakeLogger _logger = new();
    private readonly ManualTimeProvider _clock = new();

    private string Registry => Path.Combine(_directory, "registry");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Refresh_NewPromotion_SwitchesAndLogsIt_ThenABrokenOneIsRefusedOnceAndTheOldModelKeepsServing()
    {
        var model = ActiveRiskModel.Create(new RiskOptions { RegistryPath = Registry }, new RuleAssessorOptions(), _clock, _logger, HostFeatureComputer.WithDefaultDetectors().Names);
        Assert.StartsWith("sha256:", model.Version, StringComparison.Ordinal); // nothing promoted yet: Risk:ModelPath serves
        Assert.Contains("# Model card: host-failure", model.CardMarkdown, StringComparison.Ordinal); // models/host-failure.md beside it

        Promote("v0001", ShippedTrainedAt("2026-12-01T00:00:00Z"));
        Assert.True(model.Refresh());
        Assert.False(model.Refresh());

        Assert.Equal("v0001", model.Version);
        Assert.Equal("card of v0001\n", model.CardMarkdown);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), model.Card!.CreatedAt);
        Assert.Equal(1600, _logger.LatestRecord.Id.Id);
        Assert.StartsWith($"Risk model switched from sha256:", _logger.LatestRecord.Message, StringComparison.Ordinal);
        Assert.Empty(model.TakeAlerts());

        Promote("v0002", "{\"format\": \"predictor-model\", \"formatVersion\": 1, \"kind\": \"gbd");
        Assert.False(model.Refresh());
        Assert.False(model.Refresh());

        Assert.Equal("v0001", model.Version);
        Assert.Equal(1601, _logger.LatestRecord.Id.Id);
        var alert = Assert.Single(model.TakeAlerts());
        Assert.Equal((AlertConditions.ModelLoadFailed, AlertSeverity.Critical, false), (alert.Condition, alert.Severity, alert.Resolved));
        Assert.StartsWith($"Model '{Path.Combine(Registry, "versions", "v0002", "model.json")}' could not be loaded; the daemon keeps model v0001: ", alert.Summary, StringComparison.Ordinal);
        Assert.NotNull(model.Failure);
        Assert.False(model.FallenBack);

        Promote("v0003", ShippedTrainedAt("2026-12-02T00:00:00Z"));
        Assert.True(model.Refresh());

        Assert.Equal("v0003", model.Version);
        Assert.Null(model.Failure);
        var resolved = Assert.Single(model.TakeAlerts());
        Assert.Equal((AlertConditions.ModelLoadFailed, true), (resolved.Condition, resolved.Resolved));
        Assert.Equal((2, 1), model.Counts);
    }

    [Fact]
    public void Refresh_ModelOverFeaturesTheDaemonDoesNotCompute_IsNotServed()
    {
        var model = ActiveRiskModel.Create(new RiskOptions { RegistryPath = Registry }, new RuleAssessorOptions(), _clock, _logger, HostFeatureComputer.WithDefaultDetectors().Names);
        var shipped = JsonNode.Parse(File.ReadAllText(Shipped))!;
        shipped["features"]![0] = "smart_5_raw.median_30d";

        Promote("v0001", shipped.ToJsonString());

        Assert.False(model.Refresh());
        Assert.StartsWith("sha256:", model.Version, StringComparison.Ordinal);
        Assert.Contains("'smart_5_raw.median_30d'", Assert.Single(model.TakeAlerts()).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Refresh_NoModelAtFirst_RulesServeUntilTheFileAppears()
    {
        var path = Path.Combine(_directory, "host.json");
        var model = ActiveRiskModel.Create(new RiskOptions { ModelPath = path }, new RuleAssessorOptions(), _clock, _logger, HostFeatureComputer.WithDefaultDetectors().Names);

        Assert.Equal(("rules", true), (model.Version, model.FallenBack));
        Assert.Equal(1016, _logger.LatestRecord.Id.Id);
        Assert.Contains("hosts are assessed by the rule-based baseline", Assert.Single(model.TakeAlerts()).Summary, StringComparison.Ordinal);

        File.Copy(Shipped, path);
        Assert.True(model.Refresh());

        Assert.Equal((false, null), (model.FallenBack, model.Failure));
        Assert.StartsWith("model host.json (gbdt", model.Name, StringComparison.Ordinal);
        Assert.True(Assert.Single(model.TakeAlerts()).Resolved);

        // the operator replaces the file in place: served at the next look
        File.WriteAllText(path, ShippedTrainedAt("2026-12-09T00:00:00Z"));
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(5));
        Assert.True(model.Refresh());
        Assert.Equal(new DateTimeOffset(2026, 12, 9, 0, 0, 0, TimeSpan.Zero), model.Card!.CreatedAt);
    }

    [Fact]
    public void Threshold_FollowsWhatServes()
    {
        var model = ActiveRiskModel.Create(new RiskOptions { ModelPath = "" }, new RuleAssessorOptions(), _clock, _logger, HostFeatureComputer.WithDefaultDetectors().Names);

        Assert.Equal(0.5, model.Threshold(new PipelineOptions(), new RiskOptions()));
        Assert.IsType<RuleBasedRiskAssessor>(model.Current);
        Assert.False(model.Refresh());
    }

    private static string ShippedTrainedAt(string createdAt)
    {
        var json = JsonNode.Parse(File.ReadAllText(Shipped))!;
        json["createdAt"] = createdAt;
        return json.ToJsonString();
    }

    private void Promote(string id, string modelJson)
    {
        var registry = new ModelRegistry(Registry);
        var staging = registry.Stage();
        File.WriteAllText(Path.Combine(staging, ModelRegistry.ModelFile), modelJson);
        File.WriteAllText(Path.Combine(staging, ModelRegistry.CardFile), $"card of {id}\n");
        registry.Commit(staging, id);
        registry.Promote(id);
    }
}
