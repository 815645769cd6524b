using System.Globalization;
using Predictor.Core.Plans;
using Predictor.Simulation.Fleet;
using Predictor.Simulation.Randomness;

namespace Predictor.Simulation.Updates;

/// <summary>
/// Pending host updates: about <see cref="HostsNeedingUpdate"/> of hosts need one, hot patches most often,
/// then host-component updates, then reboots (firmware by generation, or a kernel).
/// </summary>
internal static class UpdateGenerator
{
    public const double HostsNeedingUpdate = 0.6;

    private const ulong UpdateStream = 41;

    private static ReadOnlySpan<double> KindWeights => [0.45, 0.35, 0.20];

    public static List<HostUpdate> Generate(SimulationOptions options, HostShape[] shapes)
    {
        var updates = new List<HostUpdate>();
        foreach (var shape in shapes)
        {
            var rng = SimRandom.For(options.Seed, UpdateStream, (ulong)shape.Index);
            if (!rng.Chance(HostsNeedingUpdate))
            {
                continue;
            }

            var kind = (UpdateKind)rng.Pick(KindWeights);
            var id = kind switch
            {
                UpdateKind.HotPatchable => "hv-hotpatch-2026.01",
                UpdateKind.HostComponent => "host-agent-7.4",
                _ => rng.Chance(0.5)
                    ? "bios-gen" + shape.Generation.CpuGeneration.ToString(CultureInfo.InvariantCulture) + "-2.19"
                    : "kernel-6.12.8",
            };
            updates.Add(new HostUpdate(shape.Id, id, kind));
        }

        return updates;
    }
}
