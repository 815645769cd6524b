using System.Globalization;
using Predictor.Simulation.Fleet;
using Predictor.Simulation.Randomness;

namespace Predictor.Simulation.Signals;

/// <summary>
/// Draws each host's and rack's telemetry constants, including the benign quirks that fool naive rules:
/// healthy disks with a small static SMART count (about 2% carry reallocated sectors, as in Backblaze's
/// fleet), DIMMs with old or slowly leaking correctable errors and short bursts, noisy NICs, and hot-aisle
/// excursions that warm a whole rack.
/// </summary>
internal static class FleetModelBuilder
{
    private const ulong HardwareStream = 31;
    private const ulong BurstStream = 32;
    private const ulong RackStream = 33;
    private const double HoursPerYear = 8766;

    /// <summary>Benign correctable-error bursts per host per day.</summary>
    public const double BurstsPerHostDay = 0.03;

    /// <summary>Hot-aisle excursions per rack per day.</summary>
    public const double ExcursionsPerRackDay = 0.3;

    private static readonly string[] s_diskNames = ["sda", "sdb", "sdc", "sdd", "sde", "sdf"];
    private static readonly string[] s_nicNames = ["eth0", "eth1"];

    public static (HostModel[] Hosts, RackModel[] Racks) Build(SimulationOptions options, HostShape[] shapes)
    {
        var hosts = new HostModel[shapes.Length];
        for (var i = 0; i < shapes.Length; i++)
        {
            hosts[i] = BuildHost(options, shapes[i]);
        }

        var rackCount = shapes.Length == 0 ? 0 : shapes[^1].Rack + 1;
        var racks = new RackModel[rackCount];
        for (var r = 0; r < rackCount; r++)
        {
            var rng = SimRandom.For(options.Seed, RackStream, (ulong)r);
            racks[r] = new RackModel
            {
                InletBase = 21 + rng.Uniform(-1.5, 2.0),
                Excursions = Events(ref rng, options, ExcursionsPerRackDay, (ref SimRandom x, long start) =>
                    new InletExcursion(start, Hours(x.Uniform(0.5, 4)), x.Uniform(4, 10))),
            };
        }

        return (hosts, racks);
    }

    private static HostModel BuildHost(SimulationOptions options, HostShape shape)
    {
        var g = shape.Generation;
        var rng = SimRandom.For(options.Seed, HardwareStream, (ulong)shape.Index);
        var disks = new DiskModel[shape.Disks];
        for (var d = 0; d < disks.Length; d++)
        {
            var age = g.AgeYears * HoursPerYear * rng.Uniform(0.85, 1.15);
            disks[d] = new DiskModel(s_diskNames[d])
            {
                // About one disk in ten was replaced since the host was racked, so it is younger.
                PowerOnHoursAtStart = Math.Floor(rng.Chance(0.1) ? age * rng.Uniform(0.05, 0.9) : age),
                TemperatureOffset = rng.Uniform(0, 6),
                StaticReallocated = rng.Chance(0.02) ? Math.Round(Math.Clamp(rng.LogNormal(8, 1.0), 1, 200)) : 0,
                StaticReported = rng.Chance(0.008) ? rng.Int(1, 10) : 0,
                StaticTimeouts = rng.Chance(0.015) ? rng.Int(1, 20) : 0,
                StaticPending = rng.Chance(0.008) ? rng.Int(1, 8) : 0,
            };
        }

        var dimms = new DimmModel[g.Dimms];
        var perSocket = g.Dimms / 2;
        for (var m = 0; m < dimms.Length; m++)
        {
            var name = (m < perSocket ? "A" : "B") + ((m % perSocket) + 1).ToString(CultureInfo.InvariantCulture);
            dimms[m] = new DimmModel(name)
            {
                CountAtStart = rng.Chance(0.08) ? Math.Round(Math.Clamp(rng.LogNormal(30, 1.5), 1, 100_000)) : 0,
                LeakPerHour = rng.Chance(0.02) ? rng.Uniform(0.02, 1.0) : 0,
            };
        }

        var fans = new string[g.Fans];
        var fanRpm = new double[g.Fans];
        for (var f = 0; f < fans.Length; f++)
        {
            fans[f] = (f + 1).ToString(CultureInfo.InvariantCulture);
            fanRpm[f] = g.FanNominalRpm * rng.Uniform(0.95, 1.05);
        }

        var nics = new NicModel[s_nicNames.Length];
        for (var n = 0; n < nics.Length; n++)
        {
            nics[n] = new NicModel(s_nicNames[n])
            {
                CountAtStart = rng.Chance(0.15) ? Math.Round(rng.LogNormal(100, 1.5)) : 0,
                ErrorsPerHour = rng.Chance(0.05) ? rng.Uniform(0.05, 2) : 0,
            };
        }

        var model = new HostModel(shape.Id, shape.Rack)
        {
            Disks = disks,
            Dimms = dimms,
            Fans = fans,
            FanNominalRpm = fanRpm,
            Nics = nics,
            BaseLoad = rng.Uniform(0.15, 0.55),
            LoadSwing = rng.Uniform(0.05, 0.25),
            CpuTemperatureOffset = rng.Normal() * 2,
            MachineChecksAtStart = rng.Chance(0.03) ? Math.Round(Math.Clamp(rng.LogNormal(2, 0.8), 1, 50)) : 0,
        };

        var burstRng = SimRandom.For(options.Seed, BurstStream, (ulong)shape.Index);
        var bursts = Events(ref burstRng, options, BurstsPerHostDay, (ref SimRandom x, long start) =>
            (Dimm: x.Int(0, dimms.Length - 1), Burst: new ErrorBurst(start, Hours(x.Uniform(10, 60) / 60), Math.Round(Math.Clamp(x.LogNormal(300, 1.0), 30, 5000)))));
        for (var m = 0; m < dimms.Length; m++)
        {
            var mine = bursts.Where(b => b.Dimm == m).Select(b => b.Burst).ToArray();
            if (mine.Length > 0)
            {
                dimms[m] = new DimmModel(dimms[m].Name) { CountAtStart = dimms[m].CountAtStart, LeakPerHour = dimms[m].LeakPerHour, Bursts = mine };
            }
        }

        return model;
    }

    private delegate T EventFactory<out T>(ref SimRandom rng, long startTicks);

    /// <summary>A Poisson process of events from a day before the start to the end of the period.</summary>
    private static T[] Events<T>(ref SimRandom rng, SimulationOptions options, double perDay, EventFactory<T> create)
    {
        var list = new List<T>();
        var t = options.Start.UtcTicks - TimeSpan.TicksPerDay;
        var end = options.End.UtcTicks;
        while (true)
        {
            t += (long)(rng.Exponential(1.0 / perDay) * TimeSpan.TicksPerDay);
            if (t >= end)
            {
                return [.. list];
            }

            list.Add(create(ref rng, t));
        }
    }

    private static long Hours(double hours) => (long)(hours * TimeSpan.TicksPerHour);
}
