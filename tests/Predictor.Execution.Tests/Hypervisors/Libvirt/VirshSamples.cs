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

    /// <summary>
    /// Captured from virsh 9.0.0 against QEMU 7.2 on Debian 12 (p2p migration of a 64 MiB TCG guest between two
    /// libvirtd on loopback), byte for byte: values are padded with trailing spaces, so the lines are escaped.
    /// </summary>
    public const string CapturedJobJustBegun =
        "Job type:         Unbounded   \n" +
        "Operation:        Outgoing migration\n" +
        "Time elapsed:     122          ms\n" +
        "\n";

    /// <inheritdoc cref="CapturedJobJustBegun"/>
    public const string CapturedJobRunning =
        "Job type:         Unbounded   \n" +
        "Operation:        Outgoing migration\n" +
        "Time elapsed:     360          ms\n" +
        "Data processed:   106.213 KiB\n" +
        "Data remaining:   63.387 MiB\n" +
        "Data total:       64.375 MiB\n" +
        "Memory processed: 106.213 KiB\n" +
        "Memory remaining: 63.387 MiB\n" +
        "Memory total:     64.375 MiB\n" +
        "Dirty rate:       0            pages/s\n" +
        "Page size:        4096         bytes\n" +
        "Iteration:        1           \n" +
        "Postcopy requests: 0           \n" +
        "Constant pages:   227         \n" +
        "Normal pages:     26          \n" +
        "Normal data:      104.000 KiB\n" +
        "Expected downtime: 300          ms\n" +
        "Setup time:       1            ms\n" +
        "\n";

    /// <inheritdoc cref="CapturedJobJustBegun"/>
    public const string CapturedJobCompleted =
        "Job type:         Completed   \n" +
        "Operation:        Incoming migration\n" +
        "Time elapsed:     332          ms\n" +
        "Time elapsed w/o network: 331          ms\n" +
        "Data processed:   544.775 KiB\n" +
        "Data remaining:   0.000 B\n" +
        "Data total:       64.375 MiB\n" +
        "Memory processed: 544.775 KiB\n" +
        "Memory remaining: 0.000 B\n" +
        "Memory total:     64.375 MiB\n" +
        "Memory bandwidth: 37.947 MiB/s\n" +
        "Dirty rate:       0            pages/s\n" +
        "Page size:        4096         bytes\n" +
        "Iteration:        2           \n" +
        "Postcopy requests: 0           \n" +
        "Constant pages:   16380       \n" +
        "Normal pages:     100         \n" +
        "Normal data:      400.000 KiB\n" +
        "Total downtime:   15           ms\n" +
        "Downtime w/o network: 14           ms\n" +
        "Setup time:       0            ms\n" +
        "\n";

    /// <summary>What virsh 9.0 prints for a domain name the daemon does not know (captured).</summary>
    public const string NotFound = "error: failed to get domain 'vm-1'\n";

    /// <summary>What virsh 9.0 prints when the domain disappears between lookup and call (captured, during a migration away).</summary>
    public const string NotFoundByUuid = "error: Domain not found: no domain with matching uuid '8ee3a5bf-f3f4-4a48-9873-422b1e82d329' (vm-1)\n";
}
