using System.Diagnostics;
using Predictor.Execution.Journal;

namespace Predictor.Execution.Executor;

/// <summary>
/// The executor's traces: one span per step (<c>predictor.step</c>) with the step, plan, target host and VM as attributes,
/// its outcome and, on failure, the failure kind and an error status.
/// </summary>
public static class StepTracing
{
    /// <summary>The <see cref="ActivitySource"/> name to subscribe to.</summary>
    public const string SourceName = "Predictor.Execution";

    private static readonly ActivitySource s_source = new(SourceName);

    /// <summary>Starts the step's span (null when nobody listens).</summary>
    internal static Activity? Start(string stepId, string planId, StepKind kind, string? vm, string host, string? to)
    {
        var span = s_source.StartActivity("predictor.step");
        if (span is null)
        {
            return null;
        }

        span.SetTag("predictor.step.id", stepId);
        span.SetTag("predictor.plan.id", planId);
        span.SetTag("predictor.step.kind", kind.ToString());
        span.SetTag("predictor.host", host);
        span.SetTag("predictor.vm", vm);
        span.SetTag("predictor.destination", to);
        return span;
    }

    /// <summary>Records the outcome on the current step's span, when there is one (the step runs inside it).</summary>
    internal static void Finish(ExecutionOutcome outcome)
    {
        if (Activity.Current is not { } span || span.Source != s_source)
        {
            return;
        }

        span.SetTag("predictor.step.succeeded", outcome.Succeeded);
        span.SetTag("predictor.step.blackout_ms", outcome.Blackout.TotalMilliseconds);
        if (!outcome.Succeeded)
        {
            span.SetTag("predictor.step.failure", outcome.Failure?.ToString());
            span.SetStatus(ActivityStatusCode.Error, outcome.Message);
        }
    }
}
