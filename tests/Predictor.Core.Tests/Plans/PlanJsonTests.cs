using System.Text;
using System.Text.Json;
using Predictor.Core.Plans;

namespace Predictor.Core.Tests.Plans;

public sealed class PlanJsonTests
{
    [Fact]
    public void Write_UsesTheDocumentedFieldNamesAndEnumSpellings()
    {
        var plan = new MaintenancePlan
        {
            Migrations = [new MigrationStep("v1", "h1", "h2", MigrationKind.Live, 0, 12.5, 16, 120, "evacuate")],
            Maintenance = [new MaintenanceStep("h3", MaintenanceAction.MemoryPreserving, 0, 9, 9000)],
            Unplaced = [new UnplacedVm("v9", "no room")],
            AtRisk = ["h1"],
            Summary = new PlanSummary { PlanningS = 0.01, MakespanS = 12.5, LowerBoundS = 12 },
        };
        using var stream = new MemoryStream();

        PlanJson.Write(plan, stream);

        using var doc = JsonDocument.Parse(stream.ToArray());
        var root = doc.RootElement;
        var m = root.GetProperty("migrations")[0];
        Assert.Equal("live", m.GetProperty("kind").GetString());
        Assert.Equal(12.5, m.GetProperty("endS").GetDouble());
        Assert.Equal(120, m.GetProperty("estimatedDowntimeMs").GetDouble());
        Assert.Equal("memory-preserving", root.GetProperty("maintenance")[0].GetProperty("action").GetString());
        Assert.Equal(9000, root.GetProperty("maintenance")[0].GetProperty("vmPauseMs").GetDouble());
        Assert.Equal("no room", root.GetProperty("unplaced")[0].GetProperty("reason").GetString());
        Assert.Equal(2, root.GetProperty("limits").GetProperty("maxOutboundPerHost").GetInt32());
        Assert.Equal(12, root.GetProperty("summary").GetProperty("lowerBoundS").GetDouble());
    }

    [Fact]
    public void Read_WhatWriteWrote_GivesTheSamePlan()
    {
        var plan = new MaintenancePlan
        {
            Migrations = [new MigrationStep("v1", "h1", "h2", MigrationKind.Cold, 1, 2, 3, 4, "r")],
            Maintenance = [new MaintenanceStep("h3", MaintenanceAction.HotPatch, 0, 1, 0)],
            AtRisk = ["h1"],
        };
        using var stream = new MemoryStream();
        PlanJson.Write(plan, stream);
        stream.Position = 0;

        var copy = PlanJson.Read(stream);

        Assert.Equal(plan.Migrations.ToArray(), copy.Migrations.ToArray());
        Assert.Equal(plan.Maintenance.ToArray(), copy.Maintenance.ToArray());
        Assert.Equal(plan.AtRisk.ToArray(), copy.AtRisk.ToArray());
    }

    [Fact]
    public void Read_BadEnumValue_NamesThePath()
    {
        var json = """{"migrations":[{"vm":"v","from":"a","to":"b","kind":"teleport","startS":0,"endS":1,"memoryGiB":1,"estimatedDowntimeMs":1,"reason":""}]}""";

        var e = Assert.Throws<InvalidDataException>(() => PlanJson.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "p.json"));

        Assert.Contains("'p.json'", e.Message, StringComparison.Ordinal);
        Assert.Contains("$.migrations[0].kind", e.Message, StringComparison.Ordinal);
    }
}
