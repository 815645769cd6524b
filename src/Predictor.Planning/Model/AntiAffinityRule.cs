namespace Predictor.Planning.Model;

/// <summary>
/// How far an anti-affinity group must be spread: at most one VM per fault domain, or as few per
/// fault domain as the group size allows when it has more VMs than there are fault domains.
/// A fault domain that already held more than that in the inventory may keep them but gets no more.
/// </summary>
public static class AntiAffinityRule
{
    /// <summary>The most VMs of a group of <paramref name="groupSize"/> allowed in one fault domain.</summary>
    public static int PerFaultDomainLimit(int groupSize, int faultDomains) =>
        Math.Max(1, (groupSize + Math.Max(1, faultDomains) - 1) / Math.Max(1, faultDomains));
}
