using Microsoft.Extensions.Options;

namespace Predictor.Execution.Hypervisors.Libvirt;

/// <summary>Checks the whole section at start, every error at once: the attributes and rules of <see cref="LibvirtHypervisorOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class LibvirtHypervisorOptionsValidator : IValidateOptions<LibvirtHypervisorOptions>;
