namespace Predictor.Simulation.Fleet;

/// <summary>One server generation: newer generations have more cores, memory, DIMMs and bandwidth.</summary>
/// <param name="CpuGeneration">Inventory cpuGeneration.</param>
/// <param name="Share">Share of racks of this generation.</param>
/// <param name="Cores">Physical cores for VMs.</param>
/// <param name="MemoryGiB">Memory for VMs (installed memory minus the host's reserve).</param>
/// <param name="Dimms">Installed DIMMs.</param>
/// <param name="NicGbps">Migration network bandwidth.</param>
/// <param name="Fans">Chassis fans.</param>
/// <param name="MinDisks">Fewest local disks.</param>
/// <param name="MaxDisks">Most local disks.</param>
/// <param name="FanNominalRpm">Fan speed at moderate load.</param>
/// <param name="AgeYears">Typical age at the simulated start (drives power-on hours).</param>
internal sealed record HardwareGeneration(
    int CpuGeneration, double Share, int Cores, double MemoryGiB, int Dimms, double NicGbps, int Fans,
    int MinDisks, int MaxDisks, double FanNominalRpm, double AgeYears)
{
    /// <summary>Usable GiB per local disk (1.92 TB SSDs); the first disk holds the host OS.</summary>
    public const double DiskGiB = 1788;

    public static IReadOnlyList<HardwareGeneration> All { get; } =
    [
        new(3, 0.15, 32, 244, 8, 25, 4, 2, 4, 9000, 4.5),
        new(4, 0.30, 48, 368, 12, 25, 5, 2, 4, 8500, 3.2),
        new(5, 0.35, 64, 492, 16, 50, 6, 2, 6, 8000, 2.0),
        new(6, 0.20, 96, 744, 16, 100, 6, 4, 6, 7500, 0.8),
    ];

    /// <summary>Memory of the average host, which the mean VMs-per-host refers to.</summary>
    public static double MeanMemoryGiB { get; } = All.Sum(g => g.Share * g.MemoryGiB) / All.Sum(g => g.Share);
}
