using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Predictor.Core.Configuration;

namespace Predictor.Execution.Hypervisors.Qmp;

/// <summary>
/// Where the QEMU instances of each VM are and how to reach them. A VM that can move between hosts has
/// one instance per host: the running one, and on a destination one started with <c>-incoming defer</c>
/// whose <see cref="QemuInstanceOptions.IncomingUri"/> the source streams to.
/// </summary>
[OptionsSection(SectionName)]
public sealed class QemuHypervisorOptions : IValidatableObject
{
    /// <summary>The configuration section the daemon binds: <c>Hypervisors:Qemu</c>.</summary>
    public const string SectionName = "Hypervisors:Qemu";

    /// <summary>One entry per (VM, host) QEMU instance.</summary>
    public IList<QemuInstanceOptions> Instances { get; init; } = [];

    /// <summary>Longest wait to connect to a QMP socket and finish the handshake.</summary>
    /// <value>The default value is 5 seconds.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded, MinimumIsExclusive = true)]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for the reply to one QMP command.</summary>
    /// <value>The default value is 10 seconds.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded, MinimumIsExclusive = true)]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest a live migration may run before it is cancelled (the VM keeps running on the source).</summary>
    /// <value>The default value is 10 minutes.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded, MinimumIsExclusive = true)]
    public TimeSpan MigrationTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often <c>query-migrate</c> is polled for progress; a MIGRATION event ends the wait early.</summary>
    /// <value>The default value is 100 milliseconds.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded, MinimumIsExclusive = true)]
    public TimeSpan ProgressPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait, after the source reports completion, for the destination to run and the source to reach post-migrate.</summary>
    /// <value>The default value is 30 seconds.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded, MinimumIsExclusive = true)]
    public TimeSpan SwitchOverTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Quit the source QEMU once the destination is verified running.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RetireSource { get; set; } = true;

    /// <summary>The instances' rules: complete, absolute sockets, valid migration addresses, each VM once per host.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        var seen = new Dictionary<(string, string), int>();
        for (var i = 0; i < Instances.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{nameof(Instances)}:{i}");
            var instance = Instances[i];
            if (instance is null)
            {
                yield return OptionsError.Invalid(at, "missing", null, "an instance object");
                continue;
            }

            if (string.IsNullOrWhiteSpace(instance.Vm))
            {
                yield return OptionsError.Invalid($"{at}:{nameof(instance.Vm)}", "empty", instance.Vm, "the VM id");
            }

            if (string.IsNullOrWhiteSpace(instance.Host))
            {
                yield return OptionsError.Invalid($"{at}:{nameof(instance.Host)}", "empty", instance.Host, "the host id");
            }

            if (string.IsNullOrWhiteSpace(instance.QmpSocket) || !Path.IsPathFullyQualified(instance.QmpSocket))
            {
                yield return OptionsError.Invalid($"{at}:{nameof(instance.QmpSocket)}", "not an absolute path", instance.QmpSocket, "the absolute path of a QMP unix socket");
            }

            if (instance.IncomingUri is { } uri && !IsMigrationUri(uri))
            {
                yield return OptionsError.Invalid($"{at}:{nameof(instance.IncomingUri)}", "not a migration address", uri, "'tcp:ADDRESS:PORT' (port 1-65535) or 'unix:/absolute/path'");
            }

            if (instance.HotRestartCommand is { } command && (command.Count == 0 || string.IsNullOrWhiteSpace(command[0])
                || command.Any(a => a is "-qmp" or "-incoming")))
            {
                yield return OptionsError.Invalid($"{at}:{nameof(instance.HotRestartCommand)}", "not a QEMU command the adapter can extend",
                    string.Join(' ', command), "the QEMU binary and its arguments, without -qmp and -incoming (the adapter adds its own QMP socket and -incoming defer)");
            }

            if (!string.IsNullOrWhiteSpace(instance.Vm) && !string.IsNullOrWhiteSpace(instance.Host) && !seen.TryAdd((instance.Vm, instance.Host), i))
            {
                yield return OptionsError.Invalid($"{at}:{nameof(instance.Host)}", $"VM '{instance.Vm}' configured twice on this host", instance.Host,
                    string.Create(CultureInfo.InvariantCulture, $"each VM once per host (the first is {SectionName}:{nameof(Instances)}:{seen[(instance.Vm, instance.Host)]})"));
            }
        }
    }

    private static bool IsMigrationUri(string uri)
    {
        if (uri.StartsWith("unix:", StringComparison.Ordinal))
        {
            return Path.IsPathFullyQualified(uri[5..]);
        }

        if (!uri.StartsWith("tcp:", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = uri[4..];
        var colon = rest.LastIndexOf(':');
        return colon > 0
            && int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535;
    }
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

    /// <summary>
    /// The command that starts this VM's QEMU, binary first, without <c>-qmp</c> and <c>-incoming</c>:
    /// a hypervisor hot restart starts the replacement process from it, with its own QMP socket and <c>-incoming
    /// defer</c>. Guest RAM must be the shared backend the running process uses (<c>-object
    /// memory-backend-file,id=ID,mem-path=PATH,share=on -machine memory-backend=ID</c>), so it is handed over, not
    /// copied. Other server sockets in it must not collide with the running process's. The process is the daemon's
    /// child unless the command detaches it (<c>-daemonize</c>, or a wrapper such as <c>systemd-run --scope</c>), which a
    /// daemon whose stop kills its children needs. Null: no hot restart here.
    /// </summary>
    public IList<string>? HotRestartCommand { get; set; }
}
