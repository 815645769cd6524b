using Microsoft.Extensions.Configuration;
using Predictor.Core.Configuration;
using Predictor.Daemon.Datacenter;

namespace Predictor.Daemon.Composition;

/// <summary>What <c>predictor run</c>'s configuration means before any service exists: its embedded defaults and the datacenter it names.</summary>
public static class DaemonConfiguration
{
    /// <summary>The embedded daemon's defaults, below every other source; a scenario (<c>--for</c>) is a throw-away run.</summary>
    public static Dictionary<string, string?> Defaults(bool scenario, bool verbose, string defaultUrls) => new()
    {
        ["Limits:CpuOvercommit"] = "2",
        ["Urls"] = scenario ? "http://127.0.0.1:0" : defaultUrls,
        // a scenario is a throw-away run: keep owner events in memory and only page-worthy alerts on the console
        ["Notifications:OwnerEvents:DatabasePath"] = scenario ? ":memory:" : "predictor-owner-events.db",
        // a scenario must not recover the steps of an earlier scenario: its journal lives as long as it does
        ["Executor:JournalPath"] = scenario ? ":memory:" : "predictor-journal.db",
        ["Notifications:Console:MinSeverity"] = !scenario || verbose ? "Info" : "Critical",
        // a scenario's simulator pushes to the daemon's own /write in accelerated time
        ["RateLimits:Enabled"] = scenario ? "false" : "true",
    };

    /// <summary>The hypervisor <c>Datacenter:Hypervisor</c> names; Simulated when it is not set.</summary>
    /// <exception cref="InvalidOperationException">An unknown hypervisor (the message is an options error).</exception>
    public static DatacenterHypervisor Hypervisor(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration.GetSection(DatacenterOptions.SectionName)["Hypervisor"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return DatacenterHypervisor.Simulated;
        }

        return Enum.TryParse<DatacenterHypervisor>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidOperationException(OptionsError.Message(
                $"{DatacenterOptions.SectionName}:{nameof(DatacenterOptions.Hypervisor)}", "unknown hypervisor", text, string.Join(", ", Enum.GetNames<DatacenterHypervisor>())));
    }

    /// <summary>
    /// Why the configuration cannot run as an accelerated scenario: shared HA state or a real hypervisor act on a real
    /// datacenter in real time. Null when it can (or when no scenario was asked for).
    /// </summary>
    public static string? ScenarioConflict(IConfiguration configuration, bool scenario)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!scenario)
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(configuration["Ha:ConnectionString"] ?? configuration["Ha:ConnectionStringFile"]))
        {
            return "predictor run --for runs an accelerated scenario on its own simulated datacenter; Ha:ConnectionString shares a real datacenter's state with other daemons in real time (drop --for, or the Ha section)";
        }

        var hypervisor = Hypervisor(configuration);
        return hypervisor == DatacenterHypervisor.Simulated ? null
            : $"predictor run --for runs an accelerated scenario on the simulated datacenter; {DatacenterOptions.SectionName}:Hypervisor is {hypervisor}, which acts on real VMs in real time (drop --for, or set {DatacenterOptions.SectionName}:Hypervisor=Simulated)";
    }
}
