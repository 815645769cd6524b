using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Predictor.Daemon.Composition;

/// <summary>
/// Returned by <see cref="PredictorServiceCollectionExtensions.AddPredictor"/>: chooses the datacenter the daemon looks
/// after and where its telemetry comes from (<c>UseSimulatedDatacenter</c>, <see cref="PredictorBuilderExtensions.UseQemu"/>,
/// <see cref="PredictorBuilderExtensions.UseLibvirt"/>, <see cref="PredictorBuilderExtensions.UsePushTelemetry"/>, …).
/// </summary>
public sealed class PredictorBuilder(IServiceCollection services, IConfiguration configuration)
{
    public IServiceCollection Services { get; } = services;

    public IConfiguration Configuration { get; } = configuration;

    /// <summary>Options types validated together at start (every error reported at once); each registration adds its own.</summary>
    public ValidatedOptions Validated { get; } = new();
}

/// <summary>The options types the daemon checks together at start.</summary>
public sealed class ValidatedOptions
{
    private readonly List<Type> _types = [];

    public IReadOnlyList<Type> Types => _types;

    public void Add(params Type[] types)
    {
        foreach (var type in types.Where(t => !_types.Contains(t)))
        {
            _types.Add(type);
        }
    }
}
