using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Predictor.Core.Configuration;

namespace Predictor.Daemon.Datacenter;

/// <summary>Which hypervisor carries the daemon's plans out.</summary>
public enum DatacenterHypervisor
{
    /// <summary>The embedded default: a simulated fleet, its telemetry and the simulated hypervisor.</summary>
    Simulated,

    /// <summary>QEMU processes reached over QMP (section <c>Hypervisors:Qemu</c>).</summary>
    Qemu,

    /// <summary>libvirt hosts reached through virsh (section <c>Hypervisors:Libvirt</c>).</summary>
    Libvirt,
}

/// <summary>
/// The datacenter the daemon looks after. Bound from configuration section "Datacenter". With
/// <see cref="Hypervisor"/> <c>Qemu</c> or <c>Libvirt</c> the hosts and VMs come from <see cref="InventoryPath"/>
/// and every step runs on the real hypervisor; the whole section is checked at start, every error at once.
/// </summary>
[OptionsSection(SectionName)]
public sealed class DatacenterOptions : IValidatableObject
{
    public const string SectionName = "Datacenter";

    /// <summary>Where plans are carried out.</summary>
    /// <value>The default value is <see cref="DatacenterHypervisor.Simulated"/>.</value>
    public DatacenterHypervisor Hypervisor { get; set; } = DatacenterHypervisor.Simulated;

    /// <summary>inventory.json of the datacenter (README, Contracts); required unless <see cref="Hypervisor"/> is Simulated.</summary>
    /// <value>The default value is null.</value>
    public string? InventoryPath { get; set; }

    /// <summary>
    /// JSON file of the host updates pending at start: <c>[{"host": "host-01", "updateId": "fw-2.1", "kind": "hot-patchable|hypervisor|host-component|reboot"}]</c>.
    /// </summary>
    /// <value>The default value is null (no file).</value>
    public string? UpdatesPath { get; set; }

    /// <summary>Host updates pending at start, given in configuration (merged with <see cref="UpdatesPath"/>; one update per host).</summary>
    public IList<PendingUpdateOptions> Updates { get; init; } = [];

    /// <summary>Check every VM's placement against what the hypervisor reports, at start and every <see cref="VerifyInterval"/>.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool VerifyPlacements { get; set; } = true;

    /// <summary>Time between placement checks.</summary>
    /// <value>The default value is 1 minute.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded, MinimumIsExclusive = true)]
    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>True when a real hypervisor (QEMU or libvirt) carries plans out.</summary>
    public bool IsReal => Hypervisor != DatacenterHypervisor.Simulated;

    /// <summary>
    /// The section's own rules: an inventory exactly when a real hypervisor runs, and complete update entries. What the
    /// files say, and whether the hypervisor section reaches every VM, is checked across sections (CrossSectionValidator).
    /// </summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        const string Inventory = SectionName + ":" + nameof(InventoryPath);
        if (!IsReal && !string.IsNullOrWhiteSpace(InventoryPath))
        {
            yield return OptionsError.Invalid(Inventory, "an inventory is used only with a real hypervisor; the Simulated hypervisor runs the simulator's own fleet", InventoryPath,
                $"no setting, or {SectionName}:Hypervisor Qemu or Libvirt");
        }

        if (IsReal && string.IsNullOrWhiteSpace(InventoryPath))
        {
            yield return OptionsError.Invalid(Inventory, "required with a QEMU or libvirt hypervisor", InventoryPath, "the path of inventory.json");
        }

        for (var i = 0; i < Updates.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{nameof(Updates)}:{i}");
            var update = Updates[i];
            if (string.IsNullOrWhiteSpace(update.Host))
            {
                yield return OptionsError.Invalid($"{at}:{nameof(update.Host)}", "empty", update.Host, "a host id");
            }

            if (string.IsNullOrWhiteSpace(update.UpdateId))
            {
                yield return OptionsError.Invalid($"{at}:{nameof(update.UpdateId)}", "empty", update.UpdateId, "the update's id");
            }

            if (!HostUpdatesJson.TryParseKind(update.Kind, out _))
            {
                yield return OptionsError.Invalid($"{at}:{nameof(update.Kind)}", "unknown kind", update.Kind, string.Join(", ", HostUpdatesJson.KindNames));
            }
        }
    }
}

/// <summary>One pending host update given in configuration (<c>Datacenter:Updates:N</c>).</summary>
public sealed class PendingUpdateOptions
{
    /// <summary>The host id as in inventory.json.</summary>
    public string Host { get; set; } = "";

    /// <summary>The update's id, as the team's tooling names it.</summary>
    public string UpdateId { get; set; } = "";

    /// <summary><c>hot-patchable</c>, <c>hypervisor</c>, <c>host-component</c> or <c>reboot</c>.</summary>
    public string Kind { get; set; } = "";
}
