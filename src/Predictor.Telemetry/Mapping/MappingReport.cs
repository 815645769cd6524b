using System.Collections.Immutable;

namespace Predictor.Telemetry.Mapping;

/// <summary>
/// What the mapping did since start: samples written, field values no rule claimed (by
/// <c>measurement.field</c>), samples of hosts outside the inventory or without a host tag (by host).
/// </summary>
public sealed record MappingReport(
    long Mapped,
    long Unmapped,
    long UnknownHost,
    long MissingHostTag,
    long NonNumeric,
    ImmutableDictionary<string, long> UnmappedFields,
    ImmutableDictionary<string, long> UnknownHosts);
