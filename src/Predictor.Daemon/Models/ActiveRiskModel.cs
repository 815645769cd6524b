using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Alerts;
using Predictor.Core.Risk;
using Predictor.Learning;
using Predictor.Learning.Assessment;
using Predictor.Learning.Lifecycle;
using Predictor.Learning.Rules;

namespace Predictor.Daemon.Models;

/// <summary>
/// The assessor the daemon serves, switched without a restart. At each pass <see cref="Refresh"/> looks at the model
/// registry's <c>promoted</c> pointer (<c>Risk:RegistryPath</c>), else at the model file (<c>Risk:ModelPath</c>); when
/// either names another file, or the file changed, the new model is loaded and checked (a valid model file over the
/// features the daemon computes) and takes over, and the switch is logged. A model that fails to load never replaces
/// the one serving: the old one stays, the failure is logged and raised as <see cref="AlertConditions.ModelLoadFailed"/>
/// (once per failing file), and the alert resolves when a model loads again. With no model at all, the rules assess.
/// </summary>
public sealed class ActiveRiskModel : IRiskAssessor
{
    private readonly RiskOptions? _options;
    private readonly RuleBasedRiskAssessor _rules;
    private readonly TimeProvider _time;
    private readonly IReadOnlyCollection<string>? _computed;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<Alert> _alerts = [];
    private Served _served;
    private Stamp? _failedStamp;
    private string? _failure;

    private ActiveRiskModel(RiskOptions? options, RuleAssessorOptions rules, IRiskAssessor initial, TimeProvider time, ILogger logger, IReadOnlyCollection<string>? computed = null)
    {
        _options = options;
        _computed = computed;
        _rules = initial as RuleBasedRiskAssessor ?? new RuleBasedRiskAssessor(rules);
        _time = time;
        _logger = logger;
        _served = Describe(initial, null, null, time.GetUtcNow());
    }

    /// <summary>Serves the configured model (the registry's promoted version first), or the rules when there is none or it fails to load.</summary>
    /// <param name="computed">
    /// The features the daemon computes (<see cref="Features.HostFeatureComputer.Names"/>); a model using any other fails to
    /// load and the one serving stays. Null means the window features only.
    /// </param>
    public static ActiveRiskModel Create(RiskOptions options, RuleAssessorOptions rules, TimeProvider time, ILogger logger, IReadOnlyCollection<string>? computed = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var model = new ActiveRiskModel(options, rules, new RuleBasedRiskAssessor(rules), time, logger, computed);
        model.Refresh();
        return model;
    }

    /// <summary>Serves a fixed choice (tests, embedded uses): <see cref="Refresh"/> never switches; its load failure is raised at the first pass.</summary>
    public static ActiveRiskModel Fixed(RiskAssessorChoice choice, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(choice);
        var model = new ActiveRiskModel(null, new RuleAssessorOptions(), choice.Assessor, time, NullLogger.Instance);
        if (choice.LoadFailure is { } failure)
        {
            model._alerts.Add(failure);
            model._failure = failure.Summary;
        }

        return model;
    }

    /// <summary>The assessor serving now.</summary>
    public IRiskAssessor Current => Volatile.Read(ref _served).Assessor;

    public string Name => Current.Name;

    /// <summary>What serves: the registry version (<c>v0003</c>), the model file's digest (<c>sha256:…</c>), or <c>rules</c>.</summary>
    public string Version => Volatile.Read(ref _served).Version;

    /// <summary>The served model's card (file, digest, features, training data, metrics); null for the rules.</summary>
    public ModelCard? Card => (Current as ModelRiskAssessor)?.Card;

    /// <summary>The served model's Markdown card (the registry's <c>card.md</c>, or <c>&lt;model&gt;.md</c> beside the file), when there is one.</summary>
    public string? CardMarkdown => Volatile.Read(ref _served).Markdown;

    /// <summary>When the served assessor took over.</summary>
    public DateTimeOffset Since => Volatile.Read(ref _served).Since;

    /// <summary>The latest load failure while it stands (a model that failed and has not been replaced by one that loads); null otherwise.</summary>
    public string? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }
    }

    /// <summary>True while the configured model failed to load and the rules assess instead.</summary>
    public bool FallenBack => Failure is not null && Current is RuleBasedRiskAssessor;

    /// <summary>The quarantine threshold of what serves: the rules' or a model's.</summary>
    public double Threshold(PipelineOptions pipeline, RiskOptions risk) =>
        Current is RuleBasedRiskAssessor ? pipeline.RiskThreshold : risk.ModelRiskThreshold;

    /// <summary>Switches and failures so far.</summary>
    public (int Switches, int Failures) Counts { get; private set; }

    public IReadOnlyList<RiskAssessment> Assess(IReadOnlyList<HostFeatures> hosts, DateTimeOffset now) => Current.Assess(hosts, now);

    /// <summary>Alerts to raise (a load failure, its resolution), each once.</summary>
    public IReadOnlyList<Alert> TakeAlerts()
    {
        lock (_gate)
        {
            var alerts = _alerts.ToArray();
            _alerts.Clear();
            return alerts;
        }
    }

    /// <summary>Loads the configured model when it changed since the last look; true when another model took over.</summary>
    public bool Refresh()
    {
        if (_options is null)
        {
            return false;
        }

        lock (_gate)
        {
            Target? target;
            try
            {
                target = Resolve(_options);
            }
            catch (Exception e) when (e is LearningInputException or IOException or UnauthorizedAccessException)
            {
                Fail(new Stamp(_options.RegistryPath ?? "", null, -1, default), _options.RegistryPath ?? "", e.Message);
                return false;
            }

            if (target is null)
            {
                return false; // nothing configured: the rules serve, as they did from the start
            }

            var stamp = Stamp.Of(target);
            if (stamp == _served.Stamp || stamp == _failedStamp)
            {
                return false;
            }

            ModelRiskAssessor model;
            try
            {
                model = ModelRiskAssessor.Load(target.Path, _computed);
            }
            catch (Exception e) when (e is LearningInputException or IOException or UnauthorizedAccessException)
            {
                Fail(stamp, target.Path, e.Message);
                return false;
            }

            var before = _served;
            var now = _time.GetUtcNow();
            var served = Describe(model, target, stamp, now);
            Volatile.Write(ref _served, served);
            _failedStamp = null;
            if (before.Stamp is null && before.Assessor is RuleBasedRiskAssessor && _failure is null)
            {
                Log.ModelLoaded(_logger, target.Path, model.Name);
            }
            else
            {
                Counts = (Counts.Switches + 1, Counts.Failures);
                Log.ModelSwitched(_logger, before.Version, served.Version, target.Path, model.Name);
            }

            if (_failure is not null)
            {
                _failure = null;
                _alerts.Add(Alert.Raise(AlertConditions.ModelLoadFailed, null, $"Model {served.Version} ({target.Path}) loaded; the daemon assesses with it", now,
                    ImmutableDictionary<string, string>.Empty.Add("model", target.Path).Add("version", served.Version), resolved: true));
            }

            return true;
        }
    }

    /// <summary>Where the configured model is: the registry's promoted version, else <c>Risk:ModelPath</c>; null when neither names one.</summary>
    private static Target? Resolve(RiskOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.RegistryPath) && new ModelRegistry(options.RegistryPath).Promoted() is { } promoted)
        {
            return new Target(promoted.ModelPath, promoted.Id, promoted.CardPath);
        }

        if (string.IsNullOrWhiteSpace(options.ModelPath))
        {
            return null;
        }

        var path = RiskAssessorFactory.Resolve(options.ModelPath);
        return new Target(path, null, Path.ChangeExtension(path, ".md"));
    }

    private void Fail(Stamp stamp, string path, string error)
    {
        _failedStamp = stamp;
        _failure = $"Model '{path}' could not be loaded: {error}";
        Counts = (Counts.Switches, Counts.Failures + 1);
        var rules = _served.Assessor is RuleBasedRiskAssessor;
        var keeps = rules ? "hosts are assessed by the rule-based baseline" : $"the daemon keeps model {_served.Version}";
        if (rules && _served.Stamp is null)
        {
            Log.ModelLoadFailed(_logger, path, error);
        }
        else
        {
            Log.ModelSwitchFailed(_logger, path, error, _served.Version);
        }

        _alerts.Add(Alert.Raise(AlertConditions.ModelLoadFailed, null, $"Model '{path}' could not be loaded; {keeps}: {error}", _time.GetUtcNow(),
            ImmutableDictionary<string, string>.Empty.Add("model", path).Add("error", error).Add("serving", _served.Version)));
    }

    private static Served Describe(IRiskAssessor assessor, Target? target, Stamp? stamp, DateTimeOffset since)
    {
        var version = target?.Version ?? (assessor is ModelRiskAssessor m ? "sha256:" + m.Card.Sha256[..12] : "rules");
        string? markdown = null;
        if (target?.CardPath is { } card && File.Exists(card) && new FileInfo(card).Length <= 256 * 1024)
        {
            markdown = File.ReadAllText(card);
        }

        return new Served(assessor, version, stamp, markdown, since);
    }

    private sealed record Target(string Path, string? Version, string? CardPath);

    /// <summary>What identifies a loaded file: its path, the registry version that named it, its length and modification time.</summary>
    private sealed record Stamp(string Path, string? Version, long Length, DateTime Modified)
    {
        public static Stamp Of(Target target)
        {
            var file = new FileInfo(target.Path);
            return file.Exists ? new Stamp(file.FullName, target.Version, file.Length, file.LastWriteTimeUtc) : new Stamp(file.FullName, target.Version, -1, default);
        }
    }

    private sealed record Served(IRiskAssessor Assessor, string Version, Stamp? Stamp, string? Markdown, DateTimeOffset Since);
}
