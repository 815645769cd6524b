using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Core.Telemetry;
using Predictor.Daemon.Automation;
using Predictor.Daemon.Metrics;
using Predictor.Execution.Executor;
using Predictor.Learning.TimeSeries.Streaming;
using Predictor.Notifications.OwnerEvents;
using Predictor.Telemetry.Windows;

namespace Predictor.Daemon.Pipeline;

/// <summary>What a <see cref="PredictorPipeline"/> is built from; its stages share these.</summary>
public sealed record PipelineParts
{
    public required IDatacenter Datacenter { get; init; }

    public required ITelemetrySource Telemetry { get; init; }

    public required HostWindowStore Windows { get; init; }

    /// <summary>The windows and detectors as one feature source; null builds one over <see cref="Windows"/> and <see cref="Detectors"/>.</summary>
    public Features.HostFeatureComputer? Features { get; init; }

    /// <summary>A fixed assessor choice; ignored when <see cref="Model"/> is given (one of them is required).</summary>
    public RiskAssessorChoice? Risk { get; init; }

    /// <summary>The assessor that serves and switches without a restart (the daemon's); null serves <see cref="Risk"/> for good.</summary>
    public Models.ActiveRiskModel? Model { get; init; }

    /// <summary>Where features and outcomes are recorded for retraining; null records nothing.</summary>
    public Outcomes.OutcomeRecorder? Recorder { get; init; }

    public required IMaintenancePlanner Planner { get; init; }

    public required PlanExecutor Executor { get; init; }

    /// <summary>Must observe <see cref="Executor"/>'s steps: it is how finished steps reach the pass.</summary>
    public required ExecutionOutcomeQueue Outcomes { get; init; }

    public required IAlertPublisher Alerts { get; init; }

    public required PipelineOptions Options { get; init; }

    public PlanningOptions Planning { get; init; } = new();

    public PlanLimits Limits { get; init; } = new();

    public RiskOptions RiskOptions { get; init; } = new();

    /// <summary>Daemon time: what the pass reads as now.</summary>
    public required TimeProvider Time { get; init; }

    /// <summary>The machine's clock, to measure the pass's own compute time (also in a virtual-time scenario).</summary>
    public required TimeProvider MachineClock { get; init; }

    public required ILoggerFactory Loggers { get; init; }

    public MaintenanceEventStore? OwnerEvents { get; init; }

    public HostSignalDetectors? Detectors { get; init; }

    public AutomationControl? Automation { get; init; }

    public DaemonMetrics? Metrics { get; init; }

    public IReadOnlyList<IPassObserver> Observers { get; init; } = [];

    /// <summary>Where quarantines and releases outlive the process; null keeps them in memory only.</summary>
    public State.DaemonStateStore? State { get; init; }
}
