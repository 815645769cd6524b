using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Telemetry;
using Predictor.Core.Hypervisors;
using Predictor.Execution.Updates;

namespace Predictor.Execution.Executor;

/// <summary>
/// Retries and per-host circuit breakers around every hypervisor and updater call. A migration passes
/// through its destination's breaker (a failing source is usually the at-risk host being evacuated, and
/// must not be locked out of its own evacuation); a host step through its host's. When a host's breaker
/// opens, steps onto or on it fail at once without calling the hypervisor until the break ends; the daemon
/// keeps such hosts out of new plans, so evacuations go elsewhere. Retries have no jitter: a scenario on a
/// virtual clock stays deterministic.
/// </summary>
internal sealed class HostGuards
{
    private readonly ExecutorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;
    private readonly ConcurrentDictionary<string, (ResiliencePipeline Pipeline, CircuitBreakerStateProvider State)> _hosts = new(StringComparer.Ordinal);

    // when each host's current break ends: Polly moves an open breaker to half-open only on the next call, and a
    // host kept out of plans would never get that call
    private readonly ConcurrentDictionary<string, DateTimeOffset> _breakEnds = new(StringComparer.Ordinal);

    public HostGuards(ExecutorOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.StepRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HypervisorException>().Handle<HostUpdateException>(),
                MaxRetryAttempts = options.StepRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = options.RetryDelay,
                OnRetry = args =>
                {
                    Log.StepRetrying(logger, args.Context.OperationKey ?? "step", args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message ?? "failed");
                    return default;
                },
            });
        }

        _retry = builder.Build();
    }

    /// <summary>True while the host's breaker is open and its break has not ended: steps touching it fail at once.</summary>
    public bool IsOpen(string host) =>
        _hosts.TryGetValue(host, out var guard) && guard.State.CircuitState is CircuitState.Open or CircuitState.Isolated
        && (!_breakEnds.TryGetValue(host, out var end) || _time.GetUtcNow() < end);

    /// <summary>Hosts whose breaker is open now.</summary>
    public IReadOnlyList<string> OpenHosts => [.. _hosts.Keys.Where(IsOpen).Order(StringComparer.Ordinal)];

    /// <summary>Runs <paramref name="action"/> with retries, through the breaker of every host in <paramref name="hosts"/>.</summary>
    /// <exception cref="HypervisorException">A host's breaker is open (the message names it), or the action failed on every attempt.</exception>
    /// <param name="retry">False for a step that must not be repeated as is (VMs stay paused between attempts).</param>
    public async Task<T> ExecuteAsync<T>(string stepId, IReadOnlyList<string> hosts, Func<CancellationToken, ValueTask<T>> action, CancellationToken cancellationToken, bool retry = true)
    {
        var context = ResilienceContextPool.Shared.Get(stepId, cancellationToken);
        try
        {
            return await (retry ? _retry : ResiliencePipeline.Empty).ExecuteAsync(
                async (ctx, state) =>
                {
                    var call = state;
                    foreach (var host in hosts.Distinct(StringComparer.Ordinal))
                    {
                        var inner = call;
                        var breaker = Guard(host).Pipeline;
                        call = token => breaker.ExecuteAsync(inner, token);
                    }

                    return await call(ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                action).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            var open = hosts.Where(IsOpen).ToList();
            throw new HypervisorException(
                $"not attempted: the circuit breaker of {(open.Count == 0 ? "a host" : string.Join(" and ", open))} is open after {_options.CircuitBreakerFailures} failed steps in a row; it is tried again after {_options.CircuitBreakerBreak}", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
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
