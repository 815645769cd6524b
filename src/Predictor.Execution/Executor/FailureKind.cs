namespace Predictor.Execution.Executor;

/// <summary>Why a step failed, for code that must tell the causes apart (the message is for people).</summary>
public enum FailureKind
{
    /// <summary>Stopped by <see cref="PlanExecutor.AbortRunning"/> (an operator's kill switch): not the host's fault.</summary>
    Aborted,

    /// <summary>Ran longer than <see cref="ExecutorOptions.StepTimeout"/> and was cancelled.</summary>
    TimedOut,

    /// <summary>
    /// The executor refused to start the step: a VM the plan moved off the host did not leave, or an update that
    /// needs the host empty would have run with VMs on it. Nothing was touched.
    /// </summary>
    Refused,

    /// <summary>The hypervisor failed the call (or a host's circuit breaker was open, so it was not attempted).</summary>
    Hypervisor,

    /// <summary>The host updater failed.</summary>
    Update,

    /// <summary>An unexpected exception from an adapter or the executor itself.</summary>
    Crashed,
}
