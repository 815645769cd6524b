using System.ComponentModel.DataAnnotations;

namespace Predictor.Execution.Executor;

/// <summary>How the executor carries plans out. Bound from configuration section "Executor".</summary>
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
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Path of the SQLite journal.</summary>
    /// <value>The default value is "predictor-journal.db" in the working directory.</value>
    [Required]
    public string JournalPath { get; set; } = "predictor-journal.db";
}
