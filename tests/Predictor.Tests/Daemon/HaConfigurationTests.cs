namespace Predictor.Tests.Daemon;

/// <summary>The Ha section as the daemon checks it at start: every error at once, never the connection string's text.</summary>
public sealed class HaConfigurationTests
{
    [Fact]
    public void ValidateConfiguration_BadHaSection_ReportsEveryErrorAndNeverThePassword()
    {
        using var app = DaemonComposition.Build(new RunSettings(null, 1, null,
        [
            "--Ha:ConnectionString=Host=db;Password=hunter2;Frobnicate=yes", "--Ha:ConnectionStringFile=/nonexistent/connection",
            "--Ha:LeaseTimeout=00:00:05", "--Ha:RenewInterval=00:00:02", "--Ha:StandDownMargin=00:00:02", "--Ha:AdvertiseUrl=ftp://a.dc1/",
        ], false));

        var errors = DaemonComposition.ValidateConfiguration(app.Services).Where(e => e.StartsWith("Ha:", StringComparison.Ordinal)).ToList();

        Assert.Equal(
        [
            "Ha:ConnectionStringFile: set together with Ha:ConnectionString (expected one of the two).",
            "Ha:LeaseTimeout: too short for Ha:RenewInterval 00:00:02 and Ha:StandDownMargin 00:00:02 (got 00:00:05; expected more than twice the renew interval plus the stand-down margin (00:00:06)).",
            "Ha:AdvertiseUrl: not an http or https address (got 'ftp://a.dc1/'; expected e.g. http://predictor-a.dc1:8080).",
        ], errors.Where(e => !e.StartsWith("Ha:ConnectionString:", StringComparison.Ordinal)));
        var connection = Assert.Single(errors, e => e.StartsWith("Ha:ConnectionString:", StringComparison.Ordinal));
        Assert.StartsWith("Ha:ConnectionString: not a PostgreSQL connection string: ", connection, StringComparison.Ordinal);
        Assert.DoesNotContain(errors, e => e.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_ScenarioWithSharedState_IsRefused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => DaemonComposition.Build(new RunSettings(TimeSpan.FromHours(1), 3600, null, ["--Ha:ConnectionString=Host=db"], false)));

        Assert.StartsWith("predictor run --for runs an accelerated scenario on its own simulated datacenter; Ha:ConnectionString shares", e.Message, StringComparison.Ordinal);
    }
}
