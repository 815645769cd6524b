using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Predictor.Daemon.Composition;
using Predictor.Testing;
using Predictor.Testing.Fuzz;

namespace Predictor.Tests.Daemon;

/// <summary>
/// The configuration as a fuzz target: mutated configuration files (the samples in deploy/ to start from) are bound and
/// validated as the daemon does at start. Bad JSON is refused by the JSON reader (the daemon then names the file, line and
/// byte); anything else must come back as a list of problems in the <c>Section:Key: …</c> form, never as an exception.
/// </summary>
public sealed partial class ConfigurationFuzzTests
{
    [Fact]
    public void ConfigurationFile_Mutated_EveryProblemAnOptionsErrorNeverAnException()
    {
        var file = new ReplaceableJsonFile();
        using var app = DaemonComposition.Build(new RunSettings(null, 1, null, ["--Executor:JournalPath=:memory:", "--Notifications:OwnerEvents:DatabasePath=:memory:"], false));
        ((IConfigurationBuilder)app.Configuration).Add(file);
        var seeds = new[] { "telemetry/push.json", "telemetry/pull-influxdb.json", "telemetry/scrape-node-exporter.json", "kubernetes/predictor.json", "qemu/predictor.qemu.json", "qemu/predictor.libvirt.json", "alertmanager/notifications.json" }
            .Select(f => File.ReadAllBytes(Path.Combine(Repository.Root, "deploy", f)))
            .Append("""{"Pipeline": {"Interval": "soon", "RiskThreshold": "high"}, "Spool": {"FsyncPolicy": "Sometimes"}, "RateLimits": {"ApiBurst": 99999999999}}"""u8.ToArray())
            .ToList();

        void Check(byte[] input)
        {
            file.Replace(input);
            using var scope = app.Services.CreateScope();
            // a problem inside a file the configuration names (an inventory, the pending updates) starts with that file's path
            var paths = app.Configuration.AsEnumerable().Select(kv => kv.Value).Where(v => !string.IsNullOrEmpty(v)).ToHashSet();
            foreach (var error in ConfigurationCheck.Errors(scope.ServiceProvider, fresh: true))
            {
                if (!OptionsErrorForm().IsMatch(error) && !paths.Any(p => error.StartsWith(p + ": ", StringComparison.Ordinal)))
                {
                    throw new InvalidOperationException($"not in the Section:Key: … form: {error}");
                }
            }
        }

        // the first check of each sample compiles the binder's and its sections' validators: seconds under load, not a hang of the input
        seeds.ForEach(Check);
        Fuzzer.Run("configuration", seeds, Check, typeof(FormatException), typeof(JsonException));
    }

    [Fact]
    public void ValuesTheBinderCannotRead_ReportedWithKeyValueAndWhatWasExpected()
    {
        var file = new ReplaceableJsonFile();
        using var app = DaemonComposition.Build(new RunSettings(null, 1, null, ["--Executor:JournalPath=:memory:", "--Notifications:OwnerEvents:DatabasePath=:memory:"], false));
        ((IConfigurationBuilder)app.Configuration).Add(file);
        file.Replace("""{"Pipeline": {"Interval": "soon"}, "Spool": {"FsyncPolicy": "Sometimes"}, "RateLimits": {"ApiBurst": "99999999999"}}"""u8.ToArray());

        using var scope = app.Services.CreateScope();
        var errors = ConfigurationCheck.Errors(scope.ServiceProvider, fresh: true);

        Assert.Contains("Pipeline:Interval: cannot be read as a duration (got 'soon'; expected a duration such as 00:05:00).", errors);
        Assert.Contains("Spool:FsyncPolicy: cannot be read as a choice (got 'Sometimes'; expected one of Always, Interval, Never).", errors);
        Assert.Contains("RateLimits:ApiBurst: cannot be read as a number (got '99999999999'; expected a whole number from -2147483648 to 2147483647).", errors);
    }

    [GeneratedRegex(@"^[A-Z][A-Za-z]*(:[^\s:]+)*: \S.*\.$", RegexOptions.Singleline)]
    private static partial Regex OptionsErrorForm();

    /// <summary>A configuration file whose contents a test replaces: JSON read as the daemon reads its --config file.</summary>
    private sealed class ReplaceableJsonFile : IConfigurationSource
    {
        private readonly Provider _provider = new(new JsonStreamConfigurationSource());

        public IConfigurationProvider Build(IConfigurationBuilder builder) => _provider;

        /// <exception cref="FormatException">The bytes are not JSON the configuration reader takes.</exception>
        public void Replace(byte[] json) => _provider.Replace(json);

        private sealed class Provider(JsonStreamConfigurationSource source) : JsonStreamConfigurationProvider(source)
        {
            /// <summary>Empty until the first <see cref="Replace"/>.</summary>
            public override void Load()
            {
            }

            public void Replace(byte[] json)
            {
                Load(new MemoryStream(json));
                OnReload();
            }
        }
    }
}
