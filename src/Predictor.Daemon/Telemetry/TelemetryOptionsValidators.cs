using Microsoft.Extensions.Options;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Push;
using Predictor.Telemetry.Scrape;
using Predictor.Telemetry.Spool;
using Predictor.Telemetry.Windows;

namespace Predictor.Daemon.Telemetry;

// Start-up validators of the telemetry sections, generated from each type's attributes and IValidatableObject rules;
// how the source and the simulator's emit path fit together is checked by CrossSectionValidator.

[OptionsValidator]
internal sealed partial class TelemetrySettingsValidator : IValidateOptions<TelemetrySettings>;

[OptionsValidator]
internal sealed partial class SimulationEmitSettingsValidator : IValidateOptions<SimulationEmitSettings>;

[OptionsValidator]
internal sealed partial class PushOptionsValidator : IValidateOptions<PushOptions>;

[OptionsValidator]
internal sealed partial class SpoolOptionsValidator : IValidateOptions<SpoolOptions>;

[OptionsValidator]
internal sealed partial class InfluxOptionsValidator : IValidateOptions<InfluxOptions>;

[OptionsValidator]
internal sealed partial class InfluxPullOptionsValidator : IValidateOptions<InfluxPullOptions>;

[OptionsValidator]
internal sealed partial class ScrapeOptionsValidator : IValidateOptions<ScrapeOptions>;

[OptionsValidator]
internal sealed partial class SignalMappingOptionsValidator : IValidateOptions<SignalMappingOptions>;

[OptionsValidator]
internal sealed partial class HostWindowOptionsValidator : IValidateOptions<HostWindowOptions>;
