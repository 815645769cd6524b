using Microsoft.Extensions.Options;
using Predictor.Core.Plans;
using Predictor.Daemon.Automation;
using Predictor.Execution.Executor;
using Predictor.Execution.Updates;
using Predictor.Learning.Rules;
using Predictor.Learning.TimeSeries.Streaming;

namespace Predictor.Daemon.Composition;

// Start-up validators of the sections AddPredictor binds, generated from each type's attributes
// (InRange, NotEmpty) and its IValidatableObject rules; rules that span sections are in CrossSectionValidator.

[OptionsValidator]
internal sealed partial class PipelineOptionsValidator : IValidateOptions<PipelineOptions>;

[OptionsValidator]
internal sealed partial class RiskOptionsValidator : IValidateOptions<RiskOptions>;

[OptionsValidator]
internal sealed partial class OutcomeLogOptionsValidator : IValidateOptions<Outcomes.OutcomeLogOptions>;

[OptionsValidator]
internal sealed partial class RuleAssessorOptionsValidator : IValidateOptions<RuleAssessorOptions>;

[OptionsValidator]
internal sealed partial class ExecutorOptionsValidator : IValidateOptions<ExecutorOptions>;

[OptionsValidator]
internal sealed partial class PlanLimitsValidator : IValidateOptions<PlanLimits>;

[OptionsValidator]
internal sealed partial class PlanningOptionsValidator : IValidateOptions<PlanningOptions>;

[OptionsValidator]
internal sealed partial class HostSignalDetectorOptionsValidator : IValidateOptions<HostSignalDetectorOptions>;

[OptionsValidator]
internal sealed partial class HostUpdateCommandOptionsValidator : IValidateOptions<HostUpdateCommandOptions>;

[OptionsValidator]
internal sealed partial class AutomationOptionsValidator : IValidateOptions<AutomationOptions>;

[OptionsValidator]
internal sealed partial class BlastRadiusOptionsValidator : IValidateOptions<BlastRadiusOptions>;

[OptionsValidator]
internal sealed partial class HaOptionsValidator : IValidateOptions<Ha.HaOptions>;
