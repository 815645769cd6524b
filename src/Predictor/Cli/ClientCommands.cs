using System.CommandLine;
using Predictor.Daemon.Automation;
using Predictor.Daemon.Client;

namespace Predictor.Cli;

/// <summary>On-call verbs against a running daemon's API: status, at-risk, steps, pause, resume, kill-switch, release, repair, decommission, plan show.</summary>
internal static class ClientCommands
{
    private static readonly Option<string> Url = new("--url") { Description = "The daemon's API: http(s)://HOST:PORT, or unix:PATH for its control socket (or env PREDICTOR_URL).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PREDICTOR_URL") ?? "http://127.0.0.1:8080/" };
    private static readonly Option<FileInfo?> TokenFile = new("--token-file")
    {
        Description = "File holding the API token (default: env PREDICTOR_API_TOKEN_FILE, else env PREDICTOR_API_TOKEN, else ./api-token, the file the daemon generates); never pass the token itself as an argument.",
    };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the API's JSON as it is, for scripts." };
    private static readonly Option<string?> Reason = new("--reason") { Description = "Why, for the audit trail and the alert.", Required = true };

    public static IEnumerable<Command> Create()
    {
        yield return Verb("status", "Automation state, quarantined hosts, rollout and running steps.", HttpMethod.Get, _ => "api/v1/status", ApiView.Status);
        yield return Verb("at-risk", "Hosts flagged at risk, with probability and evidence.", HttpMethod.Get, _ => "api/v1/at-risk", ApiView.AtRisk);
        var limit = new Option<int>("--limit") { Description = "Newest steps shown (1-1000).", DefaultValueFactory = _ => 20 };
        yield return Verb("steps", "The newest executed steps.", HttpMethod.Get, p => $"api/v1/steps?limit={p.GetValue(limit)}", ApiView.Steps, limit);
        yield return Verb("pause", "Stop starting new steps (assessing and alerting go on).", HttpMethod.Post, _ => "api/v1/pause", ApiView.Automation, Reason);
        yield return Verb("resume", "Let automation act again.", HttpMethod.Post, _ => "api/v1/resume", ApiView.Automation);
        var killSwitch = new Command("kill-switch", "Engage (on) or release (off) the kill switch: running steps are aborted, nothing starts.");
        killSwitch.Subcommands.Add(Verb("on", "Engage the kill switch.", HttpMethod.Post, _ => "api/v1/kill-switch", ApiView.Automation, Reason));
        killSwitch.Subcommands.Add(Verb("off", "Release the kill switch.", HttpMethod.Delete, _ => "api/v1/kill-switch", ApiView.Automation));
        yield return killSwitch;
        var host = new Argument<string>("host") { Description = "The quarantined host to release." };
        var release = Verb("release", "Release a quarantined host: it takes VMs again (not flagged again for Pipeline:ReleaseHold unless its odds of failure rise tenfold).", HttpMethod.Post,
            p => $"api/v1/hosts/{Uri.EscapeDataString(p.GetValue(host)!)}/release", ApiView.Message, Reason);
        release.Arguments.Add(host);
        yield return release;
        var repaired = new Argument<string>("host") { Description = "The quarantined host that was repaired." };
        var repair = Verb("repair", "Record that a quarantined host was repaired: it is released after Pipeline:CleanAssessmentsToRelease clean assessments in a row.", HttpMethod.Post,
            p => $"api/v1/hosts/{Uri.EscapeDataString(p.GetValue(repaired)!)}/repair", ApiView.Message, Reason);
        repair.Arguments.Add(repaired);
        yield return repair;
        var retired = new Argument<string>("host") { Description = "The host to take out of service for good." };
        var decommission = Verb("decommission", "Take a host out of service for good: it leaves the quarantine, takes no VM again, and its VMs are evacuated.", HttpMethod.Post,
            p => $"api/v1/hosts/{Uri.EscapeDataString(p.GetValue(retired)!)}/decommission", ApiView.Message, Reason);
        decommission.Arguments.Add(retired);
        yield return decommission;
    }

    /// <summary><c>predictor plan show</c>: a subcommand of <c>plan</c>, which otherwise makes a plan from files.</summary>
    public static Command PlanShow()
    {
        var planId = new Option<string?>("--id") { Description = "A plan id (the newest plan by default)." };
        return Verb("show", "Show the newest plan the daemon handed to its executor, step by step with each step's state.", HttpMethod.Get,
            p => "api/v1/plan" + (p.GetValue(planId) is { } id ? "?id=" + Uri.EscapeDataString(id) : ""), ApiView.Plan, planId);
    }

    private static Command Verb(string name, string description, HttpMethod method, Func<ParseResult, string> path, Func<System.Text.Json.JsonElement, string> view, params Option[] extra)
    {
        var command = new Command(name, description) { Url, TokenFile, Json };
        foreach (var option in extra)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var verb = name is "on" or "off" ? "kill-switch " + name : name is "show" ? "plan show" : name;
            var socket = parse.GetValue(Url)!.StartsWith(ControlSocket.Scheme, StringComparison.Ordinal) ? parse.GetValue(Url)![ControlSocket.Scheme.Length..] : null;
            if (socket is null && (!Uri.TryCreate(parse.GetValue(Url), UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https")))
            {
                await Console.Error.WriteLineAsync($"predictor {verb}: --url '{parse.GetValue(Url)}' is not an http or https address, nor unix:PATH").ConfigureAwait(false);
                return 2;
            }

            var file = parse.GetValue(TokenFile)?.FullName ?? Environment.GetEnvironmentVariable("PREDICTOR_API_TOKEN_FILE");
            var token = file is not null ? (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim()
                : Environment.GetEnvironmentVariable("PREDICTOR_API_TOKEN") ?? (File.Exists(ApiTokenFile.DefaultPath) ? File.ReadAllText(ApiTokenFile.DefaultPath).Trim() : null);
            var (http, url) = socket is null ? (new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, new Uri(parse.GetValue(Url)!)) : ControlSocket.Client(socket, TimeSpan.FromSeconds(30));
            using var disposeHttp = http;
            try
            {
                var answer = await new DaemonApiClient(http, url, token).SendAsync(method, path(parse), extra.Contains(Reason) ? parse.GetValue(Reason) : null, cancellationToken).ConfigureAwait(false);
                if (!answer.Succeeded)
                {
                    await Console.Error.WriteLineAsync($"predictor {verb}: the daemon refused ({answer.Status}): {answer.Refusal}").ConfigureAwait(false);
                    return 4;
                }

                await Console.Out.WriteAsync(parse.GetValue(Json) ? answer.Body.GetRawText() + "\n" : view(answer.Body)).ConfigureAwait(false);
                return 0;
            }
            catch (DaemonUnreachableException e)
            {
                await Console.Error.WriteLineAsync($"predictor {verb}: {e.Message}").ConfigureAwait(false);
                return 3;
            }
        });
        return command;
    }
}
