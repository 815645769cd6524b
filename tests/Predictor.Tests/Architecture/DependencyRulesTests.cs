using System.Reflection;

namespace Predictor.Tests.Architecture;

/// <summary>
/// The dependency rules README's architecture section states: everything may use Core; Telemetry, Learning, Planning,
/// Execution and Notifications do not use each other; the daemon library composes them without HTTP; Simulation adapts the
/// simulator to the daemon; only the executable serves HTTP and composes it all. Checked on what each compiled assembly
/// actually references, so a stray project reference that is used shows up here.
/// </summary>
public sealed class DependencyRulesTests
{
    private static readonly string[] s_libraries = ["Predictor.Telemetry", "Predictor.Learning", "Predictor.Planning", "Predictor.Execution", "Predictor.Notifications"];

    public static TheoryData<string, string[]> Allowed => new()
    {
        { "Predictor.Core", [] },
        { "Predictor.Telemetry", ["Predictor.Core"] },
        { "Predictor.Learning", ["Predictor.Core"] },
        { "Predictor.Planning", ["Predictor.Core"] },
        { "Predictor.Execution", ["Predictor.Core"] },
        { "Predictor.Notifications", ["Predictor.Core"] },
        { "Predictor.Daemon", ["Predictor.Core", .. s_libraries] },
        // the simulated owners answer the owner-event store's announcements
        { "Predictor.Simulation", ["Predictor.Core", "Predictor.Telemetry", "Predictor.Execution", "Predictor.Notifications", "Predictor.Daemon"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void References_ProductAssembly_UsesOnlyWhatTheRulesAllow(string assembly, string[] allowed)
    {
        var used = Assembly.Load(assembly).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n == "predictor" || n.StartsWith("Predictor.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.True(used.All(allowed.Contains), $"{assembly} uses {string.Join(", ", used.Except(allowed))}, which the dependency rules do not allow");
    }

    [Fact]
    public void References_DaemonLibrary_DoesNotUseAspNetCore()
    {
        var used = Assembly.Load("Predictor.Daemon").GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        Assert.DoesNotContain(used, n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
