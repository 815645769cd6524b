using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Daemon.Pipeline;

namespace Predictor.Daemon.Tests.Pipeline;

public sealed class ExecutionOutcomeQueueTests
{
    [Fact]
    public void Drain_AfterSteps_ReturnsThemInFinishOrderOnce()
    {
        var queue = new ExecutionOutcomeQueue(NullLogger<ExecutionOutcomeQueue>.Instance);
        queue.OnStepFinished(Fleet.Moved("v1", "h1", "h2"));
        queue.OnStepFinished(Fleet.Moved("v2", "h1", "h3"));

        Assert.Equal(["v1", "v2"], queue.Drain().Select(o => o.Target));
        Assert.Empty(queue.Drain());
    }

    [Fact]
    public void OnStepFinished_QueueFull_DropsTheOldestAndCountsIt()
    {
        var queue = new ExecutionOutcomeQueue(NullLogger<ExecutionOutcomeQueue>.Instance);
        for (var i = 0; i < ExecutionOutcomeQueue.Capacity + 2; i++)
        {
            queue.OnStepFinished(Fleet.Moved($"v{i}", "h1", "h2"));
        }

        var drained = queue.Drain();
        Assert.Equal(ExecutionOutcomeQueue.Capacity, drained.Count);
        Assert.Equal("v2", drained[0].Target);
        Assert.Equal(2, queue.Dropped);
    }
}
