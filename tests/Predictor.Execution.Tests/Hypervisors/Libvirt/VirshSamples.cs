namespace Predictor.Execution.Tests.Hypervisors.Libvirt;

/// <summary>virsh 9.0 output in the C locale, in the layout virsh prints (label padded to 17 columns).</summary>
internal static class VirshSamples
{
    public const string JobRunning = """
        Job type:         Unbounded
        Operation:        Outgoing migration
        Time elapsed:     1049         ms
        Data processed:   114.345 MiB
        Data remaining:   907.754 MiB
        Data total:       1.016 GiB
        Memory processed: 114.345 MiB
        Memory remaining: 907.754 MiB
        Memory total:     1.016 GiB
        Memory bandwidth: 109.140 MiB/s
        Dirty rate:       0            pages/s
        Page size:        4096         bytes
        Iteration:        2
        Postcopy requests: 0
        Constant pages:   1983
        Normal pages:     29208
        Normal data:      114.094 MiB
        Expected downtime: 300          ms
        Setup time:       5            ms

        """;

    public const string JobCompleted = """
        Job type:         Completed
        Operation:        Incoming migration
        Time elapsed:     2890         ms
        Time elapsed w/o network: 2887         ms
        Data processed:   1.016 GiB
        Data remaining:   0.000 B
        Data total:       1.016 GiB
        Memory processed: 1.016 GiB
        Memory remaining: 0.000 B
        Memory total:     1.016 GiB
        Memory bandwidth: 360.010 MiB/s
        Dirty rate:       0            pages/s
        Page size:        4096         bytes
        Iteration:        4
        Postcopy requests: 0
        Constant pages:   2007
        Normal pages:     264193
        Normal data:      1.008 GiB
        Total downtime:   25           ms
        Downtime w/o network: 22           ms
        Setup time:       5            ms

        """;

    public const string JobNone = "Job type:         None         \n\n";

    public const string NotFound = "error: failed to get domain 'vm-1'\n";
}
