using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Predictor.Execution.Executor;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// Carries finished steps from the executor to the next pass (the rollout and the alerts read them there) through a
/// bounded channel, so a daemon that runs for months never holds more than <see cref="Capacity"/> outcomes. When it
/// is full the oldest outcome is dropped and counted: its host's update is then offered again, as for a step dropped
/// before it started, so nothing is lost for good.
/// </summary>
public sealed class ExecutionOutcomeQueue : IExecutionObserver
{
    /// <summary>Outcomes kept between two passes at most.</summary>
    public const int Capacity = 100_000;

    private readonly Channel<ExecutionOutcome> _channel;
    private readonly ILogger<ExecutionOutcomeQueue> _logger;
    private long _dropped;

    public ExecutionOutcomeQueue(ILogger<ExecutionOutcomeQueue> logger)
    {
        _logger = logger;
        _channel = Channel.CreateBounded<ExecutionOutcome>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped => Log.OutcomeDropped(_logger, dropped.StepId, Interlocked.Increment(ref _dropped)));
    }

    /// <summary>Outcomes dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void OnStepFinished(ExecutionOutcome outcome) => _channel.Writer.TryWrite(outcome);

    /// <summary>Everything finished since the last call, in the order the steps finished.</summary>
    public IReadOnlyList<ExecutionOutcome> Drain()
    {
        var finished = new List<ExecutionOutcome>();
        while (_channel.Reader.TryRead(out var outcome))
        {
            finished.Add(outcome);
        }

        return finished;
    }
}
