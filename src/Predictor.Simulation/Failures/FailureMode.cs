namespace Predictor.Simulation.Failures;

/// <summary>How an injected failure takes its host down.</summary>
internal enum FailureMode
{
    /// <summary>A disk wears out: reallocated and pending sectors grow over days.</summary>
    Disk,

    /// <summary>A DIMM degrades: correctable-error storm, then an uncorrectable error and machine check.</summary>
    Dimm,

    /// <summary>A fan bearing fails: speed decays, CPU temperature climbs to thermal shutdown.</summary>
    Fan,

    /// <summary>A power supply fails; the host loses power when the other side trips.</summary>
    Psu,
}
