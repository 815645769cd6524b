using Predictor.Core.Plans;
using Predictor.Planning.Tests.Support;
using Predictor.Planning.Validation;

namespace Predictor.Planning.Tests;

public class PlanPropertyTests
{
    private static string Json(MaintenancePlan plan)
    {
        using var stream = new MemoryStream();
        PlanJson.Write(plan, stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void Plan_ThousandsOfRandomDatacenters_EveryPlanPassesTheValidatorAndAccountsForEveryAtRiskVm()
    {
        var plansWithUnplaced = 0;
        var plansWithMoves = 0;
        var plansWithSteps = 0;
        var plansReordered = 0;
        for (var seed = 0; seed < 3000; seed++)
        {
            var (request, options) = RandomDatacenter.Create(seed);
            var plan = Build.Plan(request, options);

            var violations = PlanValidator.Validate(request, plan);
            Assert.True(violations.Count == 0, $"seed {seed}: {string.Join(Environment.NewLine, violations)}");
            Assert.All(plan.Unplaced, u => Assert.False(string.IsNullOrWhiteSpace(u.Reason)));
            Assert.All(plan.Migrations, m => Assert.False(string.IsNullOrWhiteSpace(m.Reason)));
            Assert.True(plan.Summary.MakespanS + 1e-9 >= plan.Summary.LowerBoundS, $"seed {seed}: makespan {plan.Summary.MakespanS} below bound {plan.Summary.LowerBoundS}");
            plansWithUnplaced += plan.Unplaced.IsEmpty ? 0 : 1;
            plansWithMoves += plan.Migrations.IsEmpty ? 0 : 1;
            plansWithSteps += plan.Maintenance.IsEmpty ? 0 : 1;
            plansReordered += plan.Summary.Extra!.TryGetValue("evacuationMovesAheadOfDeadlineOrder", out var ahead) && (int)ahead > 0 ? 1 : 0;
        }

        // The generator must exercise every outcome, or the property says little.
        Assert.True(plansWithUnplaced > 50, $"only {plansWithUnplaced} plans had unplaced VMs");
        Assert.True(plansWithMoves > 500, $"only {plansWithMoves} plans had moves");
        Assert.True(plansWithSteps > 500, $"only {plansWithSteps} plans had maintenance steps");
        Assert.True(plansReordered > 200, $"only {plansReordered} plans moved a host ahead of one failing sooner");
    }

    [Fact]
    public void Plan_SameRequestTwice_GivesTheSamePlan()
    {
        var (request, options) = RandomDatacenter.Create(42);
        var a = Build.Plan(request, options);
        var b = Build.Plan(request, options);
        Assert.Equal(Json(a with { Summary = new() }), Json(b with { Summary = new() }));
        Assert.NotEmpty(a.Migrations);
    }
}
