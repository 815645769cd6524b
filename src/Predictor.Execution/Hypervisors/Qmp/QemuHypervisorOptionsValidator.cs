using Microsoft.Extensions.Options;

namespace Predictor.Execution.Hypervisors.Qmp;

/// <summary>Checks the whole section at start, every error at once: the attributes and rules of <see cref="QemuHypervisorOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class QemuHypervisorOptionsValidator : IValidateOptions<QemuHypervisorOptions>;
