namespace Predictor.Tests.Observability;

public sealed class OpenTelemetryOptionsTests
{
    [Fact]
    public void Validate_EndpointNotHttpAndNoServiceName_ReportsBothWithTheRest()
    {
        var settings = new RunSettings(TimeSpan.FromHours(1), 3600, null,
            ["--OpenTelemetry:Endpoint=ftp://collector:4318", "--OpenTelemetry:ServiceName=", "--OpenTelemetry:MetricsInterval=00:00:00"], false);
        using var host = DaemonComposition.Build(settings);

        var errors = DaemonComposition.ValidateConfiguration(host.Services);

        Assert.Equal(
            [
                "OpenTelemetry:ServiceName: empty (got ''; expected a service name).",
                "OpenTelemetry:MetricsInterval: out of range (got 00:00:00; expected 00:00:01 to 01:00:00).",
                "OpenTelemetry:Endpoint: not an absolute http or https address (got 'ftp://collector:4318/'; expected e.g. http://127.0.0.1:4318).",
            ],
            errors);
    }

    [Fact]
    public void Validate_Defaults_ExportNothingAndPass()
    {
        using var host = DaemonComposition.Build(new RunSettings(TimeSpan.FromHours(1), 3600, null, [], false));

        Assert.Empty(DaemonComposition.ValidateConfiguration(host.Services));
    }
}
