using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Telemetry;
using Predictor.Core.Hypervisors;
using Predictor.Execution.Time;
using Predictor.Execution.Updates;

namespace Predictor.Execution.Executor;

/// <summary>
/// Retries and per-host circuit breakers around every hypervisor and updater call. A migration passes
/// through its destination's breaker (a failing source is usually the at-risk host being evacuated, and
/// must not be locked out of its own evacuation); a host step through its host's. When a host's breaker
/// opens, steps onto or on it fail at once without calling the hypervisor until the break ends; the daemon
/// keeps such hosts out of new plans, so evacuations go elsewhere. Retries have no jitter: a scenario on a
/// virtual clock stays deterministic. They are our own loop rather than Polly's retry strategy, which waits with
/// <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/>: a step aborted or timed out during that wait
/// would resume on the thread pool, after the executor had reported itself idle. <see cref="InlineWait"/> does not.
/// </summary>
internal sealed class HostGuards
{
    private readonly ExecutorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, (ResiliencePipeline Pipeline, CircuitBreakerStateProvider State)> _hosts = new(StringComparer.Ordinal);

    // when each host's current break ends: Polly moves an open breaker to half-open only on the next call, and a
    // host kept out of plans would never get that call
    private readonly ConcurrentDictionary<string, DateTimeOffset> _breakEnds = new(StringComparer.Ordinal);

    public HostGuards(ExecutorOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>True while the host's breaker is open and its break has not ended: steps touching it fail at once.</summary>
    public bool IsOpen(string host) =>
        _hosts.TryGetValue(host, out var guard) && guard.State.CircuitState is CircuitState.Open or CircuitState.Isolated
        && (!_breakEnds.TryGetValue(host, out var end) || _time.GetUtcNow() < end);

    /// <summary>Hosts whose breaker is open now.</summary>
    public IReadOnlyList<string> OpenHosts => [.. _hosts.Keys.Where(IsOpen).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Runs <paramref name="action"/> through the breaker of every host in <paramref name="hosts"/>, and again after a
    /// hypervisor or update failure up to <see cref="ExecutorOptions.StepRetries"/> times, waiting
    /// <see cref="ExecutorOptions.RetryDelay"/> before the first retry and twice the last wait before each further one.
    /// An open breaker is not retried.
    /// </summary>
    /// <exception cref="HypervisorException">A host's breaker is open (the message names it), or the action failed on every attempt.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; a retry wait ends at once, inline.</exception>
    /// <param name="retry">False for a step that must not be repeated as is (VMs stay paused between attempts).</param>
    public async Task<T> ExecuteAsync<T>(string stepId, IReadOnlyList<string> hosts, Func<CancellationToken, ValueTask<T>> action, CancellationToken cancellationToken, bool retry = true)
    {
        var retries = retry ? _options.StepRetries : 0;
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    return await ThroughBreakersAsync(hosts, action, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (attempt < retries && e is HypervisorException or HostUpdateException)
                {
                    var delay = _options.RetryDelay * (1 << attempt);
                    cancellationToken.ThrowIfCancellationRequested();
                    Log.StepRetrying(_logger, stepId, attempt + 1, delay, e.Message);
                    await InlineWait.Delay(_time, delay, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (BrokenCircuitException e)
        {
            var open = hosts.Where(IsOpen).ToList();
            throw new HypervisorException(
                $"not attempted: the circuit breaker of {(open.Count == 0 ? "a host" : string.Join(" and ", open))} is open after {_options.CircuitBreakerFailures} failed steps in a row; it is tried again after {_options.CircuitBreakerBreak}", e);
        }
    }

    /// <summary>One attempt of <paramref name="action"/>, nested in the breaker of each of <paramref name="hosts"/>.</summary>
    private ValueTask<T> ThroughBreakersAsync<T>(IReadOnlyList<string> hosts, Func<CancellationToken, ValueTask<T>> action, CancellationToken cancellationToken)
    {
        var call = action;
        foreach (var host in hosts.Distinct(StringComparer.Ordinal))
        {
            var inner = call;
            var breaker = Guard(host).Pipeline;
            call = token => breaker.ExecuteAsync(inner, token);
        }

        return call(cancellationToken);
    }

    private (ResiliencePipeline Pipeline, CircuitBreakerStateProvider State) Guard(string host) => _hosts.GetOrAdd(host, h =>
    {
        var state = new CircuitBreakerStateProvider();
        // breaker transitions are reported through the telemetry listener, which Polly calls inline: its OnOpened and
        // OnClosed callbacks would run on Polly's own thread, and a step would resume there behind the clock's back
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = _time, TelemetryListener = new BreakerTransitions(this, h) }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HypervisorException>().Handle<HostUpdateException>(),
                FailureRatio = 1.0,
                MinimumThroughput = _options.CircuitBreakerFailures,
                SamplingDuration = _options.CircuitBreakerSampling,
                BreakDuration = _options.CircuitBreakerBreak,
                StateProvider = state,
            })
            .Build();
        return (pipeline, state);
    });

    private sealed class BreakerTransitions(HostGuards guards, string host) : TelemetryListener
    {
        public override void Write<TResult, TArgs>(in TelemetryEventArguments<TResult, TArgs> args)
        {
            switch (args.Arguments)
            {
                case OnCircuitOpenedArguments<TResult> opened:
                    guards._breakEnds[host] = guards._time.GetUtcNow() + opened.BreakDuration;
                    Log.CircuitOpened(guards._logger, host, guards._options.CircuitBreakerFailures, opened.BreakDuration, opened.Outcome.Exception?.Message ?? "failed");
                    break;
                case OnCircuitClosedArguments<TResult>:
                    Log.CircuitClosed(guards._logger, host);
                    break;
            }
        }
    }
}
