namespace Predictor.Execution.Hypervisors.Qmp;

/// <summary>
/// Where the QEMU instances of each VM are and how to reach them. A VM that can move between hosts has
/// one instance per host: the running one, and on a destination one started with <c>-incoming defer</c>
/// whose <see cref="QemuInstanceOptions.IncomingUri"/> the source streams to.
/// </summary>
public sealed class QemuHypervisorOptions
{
    /// <summary>The configuration section the daemon binds: <c>Hypervisors:Qemu</c>.</summary>
    public const string SectionName = "Hypervisors:Qemu";

    /// <summary>One entry per (VM, host) QEMU instance.</summary>
    public IList<QemuInstanceOptions> Instances { get; init; } = [];

    /// <summary>Longest wait to connect to a QMP socket and finish the handshake.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for the reply to one QMP command.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest a live migration may run before it is cancelled (the VM keeps running on the source).</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan MigrationTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often <c>query-migrate</c> is polled for progress; a MIGRATION event ends the wait early.</summary>
    /// <value>The default value is 100 milliseconds.</value>
    public TimeSpan ProgressPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait, after the source reports completion, for the destination to run and the source to reach post-migrate.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan SwitchOverTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Quit the source QEMU once the destination is verified running.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RetireSource { get; set; } = true;
}

/// <summary>One QEMU process of one VM on one host.</summary>
public sealed class QemuInstanceOptions
{
    /// <summary>The VM id as in inventory.json.</summary>
    public string Vm { get; set; } = "";

    /// <summary>The host id as in inventory.json.</summary>
    public string Host { get; set; } = "";

    /// <summary>Path of the instance's QMP unix socket (<c>-qmp unix:PATH,server=on,wait=off</c>).</summary>
    public string QmpSocket { get; set; } = "";

    /// <summary>
    /// Where this instance listens for an incoming migration when it is the destination:
    /// <c>tcp:ADDRESS:PORT</c> or <c>unix:PATH</c>. Needed only on hosts a VM may move to.
    /// </summary>
    public string? IncomingUri { get; set; }
}
