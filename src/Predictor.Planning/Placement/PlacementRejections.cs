using System.Globalization;
using System.Text;

namespace Predictor.Planning.Placement;

/// <summary>Why candidate hosts were refused for one VM, counted per first failing rule.</summary>
internal struct PlacementRejections
{
    public int Ineligible;
    public int OlderGeneration;
    public int Memory;
    public int Vcpu;
    public int Disk;
    public int Spread;
    public int Full;

    /// <summary>A sentence naming every refusal that happened, e.g. "3 hosts: not enough free memory …; 2 hosts: older CPU generation …".</summary>
    public readonly string Describe(double memoryGiB, int vcpus, double diskGiB, string? group)
    {
        var parts = new List<string>();
        Add(parts, Memory, $"not enough free memory for {F(memoryGiB)} GiB after headroom");
        Add(parts, Vcpu, $"not enough free vCPUs for {vcpus} under the overcommit limit");
        Add(parts, Disk, $"not enough free disk for {F(diskGiB)} GiB");
        Add(parts, Full, "already full for a VM at least this large");
        Add(parts, Spread, $"fault domain already holds anti-affinity group '{group}' at its limit");
        Add(parts, OlderGeneration, "older CPU generation (a live migration needs the same or a newer one)");
        Add(parts, Ineligible, "may not receive VMs (at risk, quarantined, in maintenance, failed, or being updated)");
        return parts.Count == 0 ? "there are no other hosts" : string.Join("; ", parts);
    }

    private static void Add(List<string> parts, int count, string what)
    {
        if (count > 0)
        {
            parts.Add(new StringBuilder().Append(count.ToString(CultureInfo.InvariantCulture))
                .Append(count == 1 ? " host: " : " hosts: ").Append(what).ToString());
        }
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
