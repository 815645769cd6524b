namespace Predictor.Simulation.Fleet;

/// <summary>One VM size of the catalogue.</summary>
internal sealed record VmSize(string Series, int Vcpus, double MemoryGiB, double DiskGiB, double Weight);

/// <summary>
/// VM series and sizes, weighted like a public cloud's mix: many small general-purpose VMs, some
/// memory-optimised ones, a few large, GPU and HPC VMs. GPU and HPC series cannot do memory-preserving
/// maintenance (device state does not survive a host component restart), nor can very large memory VMs;
/// most GPU VMs and some HPC VMs (pass-through devices, RDMA) cannot live-migrate.
/// </summary>
internal sealed record VmSeries(
    string Name, double Weight, double DirtyRateMedianMiBps, double LiveMigratableShare, bool MemoryPreserving, VmSize[] Sizes)
{
    /// <summary>VMs of at least this much memory are not memory-preserving capable.</summary>
    public const double VeryLargeMemoryGiB = 256;

    public static IReadOnlyList<VmSeries> All { get; } =
    [
        new("general", 0.58, 35, 1.0, true,
            [new("general", 2, 8, 32, 0.30), new("general", 4, 16, 64, 0.33), new("general", 8, 32, 128, 0.22), new("general", 16, 64, 256, 0.11), new("general", 32, 128, 512, 0.04)]),
        new("memory", 0.20, 80, 1.0, true,
            [new("memory", 4, 32, 64, 0.30), new("memory", 8, 64, 128, 0.33), new("memory", 16, 128, 256, 0.22), new("memory", 32, 256, 512, 0.10), new("memory", 64, 512, 1024, 0.05)]),
        new("compute", 0.12, 60, 1.0, true,
            [new("compute", 4, 8, 32, 0.35), new("compute", 8, 16, 64, 0.35), new("compute", 16, 32, 128, 0.20), new("compute", 32, 64, 256, 0.10)]),
        new("gpu", 0.06, 120, 0.15, false,
            [new("gpu", 8, 56, 256, 0.40), new("gpu", 16, 112, 512, 0.40), new("gpu", 32, 224, 1024, 0.20)]),
        new("hpc", 0.04, 200, 0.40, false,
            [new("hpc", 32, 128, 128, 0.50), new("hpc", 64, 256, 256, 0.40), new("hpc", 96, 384, 384, 0.10)]),
    ];
}
