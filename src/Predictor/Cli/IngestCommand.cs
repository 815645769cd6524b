using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;
using Predictor.Daemon.Telemetry;
using Predictor.Http;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.Push;
using Predictor.Telemetry.Spool;

namespace Predictor.Cli;

/// <summary>
/// <c>predictor ingest</c>: serves the InfluxDB-compatible push endpoints on their own, mapping what arrives
/// to signals and, with <c>--forward</c>, spooling it to disk and replaying it to InfluxDB in order.
/// </summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Address to serve /write, /api/v2/write and /ping on (host:port).", DefaultValueFactory = _ => "127.0.0.1:8186" };
        var forward = new Option<string?>("--forward") { Description = "InfluxDB to forward accepted points to (v1 API base address), through the spool." };
        var database = new Option<string>("--database") { Description = "Database to forward into.", DefaultValueFactory = _ => "telemetry" };
        var user = new Option<string?>("--influx-user") { Description = "InfluxDB user for forwarding (basic auth)." };
        // a password on the command line is visible to every local user in ps: from a file or the environment only
        var password = new Option<FileInfo?>("--influx-password-file") { Description = "File holding the InfluxDB password for forwarding (or env PREDICTOR_INFLUX_PASSWORD)." };
        var spoolDir = new Option<string>("--spool") { Description = "Spool directory (used with --forward).", DefaultValueFactory = _ => "spool" };
        var spoolMb = new Option<int>("--spool-max-mb") { Description = "Spool bound in MiB; a full spool refuses pushes with 503 and raises SpoolFull.", DefaultValueFactory = _ => 1024 };
        var fsync = new Option<SpoolFsyncPolicy>("--fsync") { Description = "When the spool fsyncs: Always, Interval (1 s) or Never.", DefaultValueFactory = _ => SpoolFsyncPolicy.Interval };
        var tokens = new Option<FileInfo[]>("--token-file") { Description = "File holding an accepted push token (repeat for several; or env PREDICTOR_PUSH_TOKEN); with none every write is refused.", AllowMultipleArgumentsPerToken = false };
        var maxBody = new Option<int>("--max-body-mb") { Description = "Largest accepted request body in MiB, after decompression.", DefaultValueFactory = _ => 25 };
        var unsigned = new Option<bool>("--unsigned-integers") { Description = "Accept unsigned integer fields (12u); InfluxDB 1.x has none, so they are refused by default." };

        var command = new Command("ingest", "Serve the InfluxDB-compatible push endpoints, map pushed points to signals, and optionally forward them to InfluxDB through a durable spool.")
        {
            listen, forward, database, user, password, spoolDir, spoolMb, fsync, tokens, maxBody, unsigned,
        };
        command.SetAction(async (parseResult, ct) =>
        {
            if (!IPEndPoint.TryParse(parseResult.GetValue(listen)!, out var endpoint) || endpoint.Port == 0)
            {
                await Console.Error.WriteLineAsync($"--listen '{parseResult.GetValue(listen)}' is not host:port (for example 127.0.0.1:8186).");
                return 2;
            }

            Uri? forwardTo = null;
            if (parseResult.GetValue(forward) is { } forwardText && !Uri.TryCreate(forwardText, UriKind.Absolute, out forwardTo))
            {
                await Console.Error.WriteLineAsync($"--forward '{forwardText}' is not an absolute address (for example http://127.0.0.1:8086/).");
                return 2;
            }

            var pushOptions = new PushOptions
            {
                Forward = forwardTo is not null,
                Tokens = [.. (parseResult.GetValue(tokens) ?? []).Select(f => File.ReadAllText(f.FullName).Trim()), .. Environment.GetEnvironmentVariable("PREDICTOR_PUSH_TOKEN") is { Length: > 0 } token ? [token] : Array.Empty<string>()],
                MaxBodyBytes = parseResult.GetValue(maxBody) << 20,
                UnsignedIntegers = parseResult.GetValue(unsigned),
            };
            var spoolOptions = new SpoolOptions { Directory = parseResult.GetValue(spoolDir)!, MaxBytes = (long)parseResult.GetValue(spoolMb) << 20, FsyncPolicy = parseResult.GetValue(fsync) };
            var influxOptions = new InfluxOptions
            {
                BaseAddress = forwardTo ?? new Uri("http://127.0.0.1:8086/"),
                Database = parseResult.GetValue(database)!,
                Username = parseResult.GetValue(user),
                Password = parseResult.GetValue(password) is { } passwordFile
                    ? File.ReadAllText(passwordFile.FullName).TrimEnd('\r', '\n')
                    : Environment.GetEnvironmentVariable("PREDICTOR_INFLUX_PASSWORD") is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
            };
            var errors = StandaloneIngest.Errors(pushOptions, spoolOptions, influxOptions);
            if (errors.Count > 0)
            {
                await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, errors));
                return 2;
            }

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Predictor", LogLevel.Information);
            builder.WebHost.ConfigureKestrel(k => k.Listen(endpoint));
            builder.Services.AddPredictorRateLimits();
            await using var app = builder.Build();
            app.UseRateLimiter();
            var loggers = app.Services.GetRequiredService<ILoggerFactory>();
            using var http = new HttpClient();
            using var ingest = new StandaloneIngest(pushOptions, spoolOptions, influxOptions, new LoggedAlerts(loggers.CreateLogger("Predictor.Alerts")), http, TimeProvider.System, loggers);
            app.MapInfluxPush(ingest.Handler);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var forwarding = ingest.ForwardAsync(stop.Token);
            await app.StartAsync(ct);
            await Console.Error.WriteLineAsync($"ingest: listening on http://{endpoint}" + (pushOptions.Forward ? $", forwarding to {influxOptions.BaseAddress} through {spoolOptions.Directory}" : ""));
            // SIGTERM reaches the host's lifetime (which keeps the process alive for a graceful stop), Ctrl+C the command's token.
            using var running = CancellationTokenSource.CreateLinkedTokenSource(ct, app.Lifetime.ApplicationStopping);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, running.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: shut down below.
            }

            await stop.CancelAsync();
            await app.StopAsync(CancellationToken.None);
            await forwarding;
            await Console.Error.WriteLineAsync(ingest.Report());
            return 0;
        });
        return command;
    }

    private sealed class LoggedAlerts(ILogger logger) : IAlertPublisher
    {
        public Task PublishAsync(Alert alert, CancellationToken cancellationToken)
        {
            IngestLog.Alert(logger, alert.Condition, alert.Resolved, alert.Summary);
            return Task.CompletedTask;
        }
    }
}

internal static partial class IngestLog
{
    [LoggerMessage(EventId = EventIds.IngestAlert, EventName = nameof(EventIds.IngestAlert), Level = LogLevel.Warning, Message = "ALERT {Condition} (resolved: {Resolved}): {Summary}")]
    public static partial void Alert(ILogger logger, string condition, bool resolved, string summary);
}
