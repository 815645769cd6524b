using Predictor.Core.Plans;

namespace Predictor.Core.Tests.Plans;

public class PlanContractAdditionsTests
{
    [Fact]
    public void WriteRead_MaintenanceStepReason_RoundTripsAsReason()
    {
        var plan = new MaintenancePlan { Maintenance = [new MaintenanceStep("h1", MaintenanceAction.MemoryPreserving, 1, 21, 10_000) { Reason = "why" }] };
        using var stream = new MemoryStream();

        PlanJson.Write(plan, stream);
        var json = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        stream.Position = 0;
        var read = PlanJson.Read(stream);

        Assert.Contains("\"action\": \"memory-preserving\"", json, StringComparison.Ordinal);
        Assert.Contains("\"reason\": \"why\"", json, StringComparison.Ordinal);
        Assert.Equal(plan.Maintenance[0], read.Maintenance[0]);
    }
}
