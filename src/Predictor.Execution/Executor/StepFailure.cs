using Predictor.Core.Hypervisors;
using Predictor.Execution.Updates;

namespace Predictor.Execution.Executor;

/// <summary>Names the failure of a step whose work threw.</summary>
internal static class StepFailure
{
    /// <param name="cancelled">What a cancellation means for this step (aborted, or timed out) and how to say it.</param>
    public static (FailureKind Kind, string Message) Of(Exception e, Func<(FailureKind, string)> cancelled) => e switch
    {
        OperationCanceledException => cancelled(),
        // these say where the VM or the host is; anything else from an adapter is reported as it is
        HypervisorException => (FailureKind.Hypervisor, e.Message),
        HostUpdateException => (FailureKind.Update, e.Message),
        _ => (FailureKind.Crashed, $"{e.GetType().Name}: {e.Message}"),
    };
}
