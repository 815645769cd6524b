using Microsoft.Extensions.Options;

namespace Predictor.Daemon.Datacenter;

/// <summary>The Datacenter section's own rules; the files it names are read and checked by the cross-section validator.</summary>
[OptionsValidator]
internal sealed partial class DatacenterOptionsValidator : IValidateOptions<DatacenterOptions>;
