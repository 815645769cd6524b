namespace Predictor.Core.Outcomes;

/// <summary>What became of a host: the events a failure model is labelled with, and those that hide its label.</summary>
public enum OutcomeKind
{
    /// <summary>The host failed (went down) at <see cref="HostOutcome.At"/>.</summary>
    Failed,

    /// <summary>The host was repaired and is back in service (after a failure, or after a quarantine).</summary>
    Repaired,

    /// <summary>The host left the fleet for good.</summary>
    Decommissioned,

    /// <summary>
    /// The host was quarantined and its VMs evacuated because an assessor predicted its failure: a failure after this may
    /// never be seen (the host is emptied and often repaired), so the rows it hides are censored, not negative.
    /// </summary>
    Evacuated,

    /// <summary>An operator released the host from its quarantine: the prediction was not confirmed.</summary>
    Released,
}

/// <summary>
/// One outcome of one host, as the daemon saw it or an operator recorded it (a ticket, an RMA, the API).
/// </summary>
/// <param name="Host">Host id.</param>
/// <param name="At">When it happened (for a failure: when the host went down).</param>
/// <param name="Kind">What happened.</param>
/// <param name="Component">The failed or repaired part when known, e.g. <c>disk:sdb</c>, <c>dimm:A3</c>.</param>
/// <param name="Cause">Why, when known, e.g. <c>disk-media</c>, <c>memory-uncorrectable</c>.</param>
/// <param name="Source">Who recorded it: <c>daemon</c>, <c>api:&lt;caller&gt;</c>, <c>ticket</c>, <c>rma</c>, …</param>
/// <param name="ModelVersion">For <see cref="OutcomeKind.Evacuated"/>: the assessor that predicted the failure (a registry version, a model digest, or <c>rules</c>).</param>
/// <param name="Probability">For <see cref="OutcomeKind.Evacuated"/>: the probability it predicted.</param>
/// <param name="Detail">Free text: the operator's reason, what the daemon saw.</param>
public sealed record HostOutcome(
    string Host,
    DateTimeOffset At,
    OutcomeKind Kind,
    string? Component = null,
    string? Cause = null,
    string Source = HostOutcome.DaemonSource,
    string? ModelVersion = null,
    double? Probability = null,
    string? Detail = null)
{
    /// <summary>The source of outcomes the daemon saw itself.</summary>
    public const string DaemonSource = "daemon";

    /// <summary>The kind as written in CSV files, the API and the log: <c>failed</c>, <c>repaired</c>, …</summary>
    public static string Name(OutcomeKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Parses <see cref="Name(OutcomeKind)"/> (case-insensitive); false for anything else.</summary>
    public static bool TryParseKind(string? text, out OutcomeKind kind)
    {
        kind = default;
        return !string.IsNullOrWhiteSpace(text) && !int.TryParse(text, out _) && Enum.TryParse(text.Trim(), ignoreCase: true, out kind) && Enum.IsDefined(kind);
    }
}
