using System.Globalization;
using Predictor.Core.Plans;
using Predictor.Simulation.Fleet;
using Predictor.Simulation.Randomness;

namespace Predictor.Simulation.Updates;

/// <summary>
/// Pending host updates: about <see cref="HostsNeedingUpdate"/> of hosts need one, hot patches most often,
/// then host-component updates, then reboots (firmware by generation, or a kernel). <see cref="HypervisorShare"/>
/// of the host-component updates are hypervisor userspace updates (a new QEMU), so that about 14 % of all updates
/// exercise the hot-restart rung.
/// </summary>
internal static class UpdateGenerator
{
    public const double HostsNeedingUpdate = 0.6;

    /// <summary>Share of the host-component updates that update the hypervisor's userspace.</summary>
    public const double HypervisorShare = 0.4;

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

            var kind = rng.Pick(KindWeights) switch
            {
                0 => UpdateKind.HotPatchable,
                1 => UpdateKind.HostComponent,
                _ => UpdateKind.Reboot,
            };
            // drawn after the kind, from the host's own stream, so hosts without such an update draw as before
            if (kind == UpdateKind.HostComponent && rng.Chance(HypervisorShare))
            {
                kind = UpdateKind.Hypervisor;
            }

            var id = kind switch
            {
                UpdateKind.HotPatchable => "hv-hotpatch-2026.01",
                UpdateKind.Hypervisor => "qemu-7.2.23",
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
