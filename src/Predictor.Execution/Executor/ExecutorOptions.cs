using Predictor.Core.Configuration;

namespace Predictor.Execution.Executor;

/// <summary>How the executor carries plans out. Bound from configuration section "Executor".</summary>
[OptionsSection(SectionName)]
public sealed class ExecutorOptions
{
    public const string SectionName = "Executor";

    /// <summary>Downtime limit handed to the hypervisor for every live migration.</summary>
    /// <value>The default value is 500 ms.</value>
    public TimeSpan MaxDowntime { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Log what would be done without calling the hypervisor.</summary>
    /// <value>The default value is false.</value>
    public bool DryRun { get; set; }

    /// <summary>A step running longer than this is cancelled (the VM stays on its source) and reported.</summary>
    /// <value>The default value is 30 minutes.</value>
    [InRange(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Path of the SQLite journal.</summary>
    /// <value>The default value is "predictor-journal.db" in the working directory.</value>
    [NotEmpty(Expected = "a SQLite file, or ':memory:'")]
    public string JournalPath { get; set; } = "predictor-journal.db";

    /// <summary>Attempts after the first for a step whose hypervisor or update call failed (exponential backoff, no jitter).</summary>
    /// <value>The default value is 1.</value>
    [InRange(0, 10)]
    public int StepRetries { get; set; } = 1;

    /// <summary>Delay before the first retry; doubled for each further one.</summary>
    /// <value>The default value is 5 seconds.</value>
    [InRange(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Failed steps in a row, within <see cref="CircuitBreakerSampling"/>, that open a host's circuit breaker.</summary>
    /// <value>The default value is 3.</value>
    [InRange(2, 1000)]
    public int CircuitBreakerFailures { get; set; } = 3;

    /// <summary>Window in which the failures are counted.</summary>
    /// <value>The default value is 10 minutes.</value>
    [InRange(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CircuitBreakerSampling { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an open breaker keeps steps off its host before one trial step is let through.</summary>
    /// <value>The default value is 10 minutes.</value>
    [InRange(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan CircuitBreakerBreak { get; set; } = TimeSpan.FromMinutes(10);
}
