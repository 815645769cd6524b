namespace Predictor.Core.Inventory;

/// <summary>Operational state of a host. Serialised in lower case ("active", "quarantined", …).</summary>
public enum HostState
{
    /// <summary>Healthy and accepting placements.</summary>
    Active,

    /// <summary>At risk: no new placements, being evacuated.</summary>
    Quarantined,

    /// <summary>Under maintenance: no new placements.</summary>
    Maintenance,

    /// <summary>Failed: its VMs are interrupted.</summary>
    Failed,

    /// <summary>Out of service for good.</summary>
    Decommissioned,
}
