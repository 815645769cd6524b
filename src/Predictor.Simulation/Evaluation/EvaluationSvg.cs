using System.Globalization;
using System.Net;

namespace Predictor.Simulation.Evaluation;

/// <summary>
/// A fleet evaluation as one self-contained SVG: per assessor, the share of VMs on failing hosts evacuated before the
/// failure and the false evacuations per 1,000 host-days (a dot per seed, a bar for the pooled figure), and the lead
/// times (box from the 25th to the 75th percentile, whiskers from the 10th to the 90th, a line at the median).
/// </summary>
public static class EvaluationSvg
{
    private const int PanelWidth = 300;
    private const int Height = 340;
    private const int Top = 50;
    private const int Bottom = 290;
    private const int Left = 50;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private static readonly string[] s_colours = ["#6b6b6b", "#c8511b", "#1f6fb2", "#4d8c2b", "#8a3fa0"];

    public static void Write(EvaluationReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var plan = report.Plan;
        var width = 3 * PanelWidth + 20;
        output.WriteLine(string.Create(C, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{Height}\" viewBox=\"0 0 {width} {Height}\" font-family=\"sans-serif\" font-size=\"11\">"));
        output.WriteLine(string.Create(C, $"<title>Fleet evaluation, seeds {plan.Seeds}, {plan.Hosts} hosts, {plan.Days:0.##} days each</title>"));
        output.WriteLine(string.Create(C, $"<rect width=\"{width}\" height=\"{Height}\" fill=\"#ffffff\"/>"));
        var assessors = report.Assessors;
        Panel(output, 0, "VMs on failing hosts evacuated before failure (%)", assessors, 100,
            a => a.Runs.Where(r => r.EvacuatedShare is not null).Select(r => r.EvacuatedShare!.Value * 100), a => a.PooledEvacuatedShare * 100);
        var falseMax = NiceMax(assessors.SelectMany(a => a.Runs).Select(r => r.FalseEvacuationsPer1000HostDays).DefaultIfEmpty(0).Max());
        Panel(output, PanelWidth, "False evacuations per 1,000 host-days", assessors, falseMax,
            a => a.Runs.Select(r => r.FalseEvacuationsPer1000HostDays), a => a.PooledFalseEvacuationsPer1000HostDays);
        LeadPanel(output, 2 * PanelWidth, assessors, NiceMax(assessors.Select(a => a.LeadTimes.P90 ?? 0).DefaultIfEmpty(0).Max()));
        output.WriteLine(string.Create(C, $"<text x=\"{Left}\" y=\"{Height - 8}\" fill=\"#333\">seeds {plan.Seeds}, {plan.Hosts} hosts, {plan.Days:0.##} days each; dots: one seed each; bars: pooled over all runs</text>"));
        output.WriteLine("</svg>");
    }

    private static void Panel(TextWriter o, int x0, string title, IReadOnlyList<AssessorResult> assessors, double max,
        Func<AssessorResult, IEnumerable<double>> perSeed, Func<AssessorResult, double> pooled)
    {
        Frame(o, x0, title, max);
        var slot = (double)(PanelWidth - Left - 20) / Math.Max(1, assessors.Count);
        for (var i = 0; i < assessors.Count; i++)
        {
            var a = assessors[i];
            var colour = s_colours[i % s_colours.Length];
            var cx = x0 + Left + (slot * (i + 0.5));
            var p = pooled(a);
            if (!double.IsNaN(p))
            {
                var y = Y(p, max);
                o.WriteLine(string.Create(C, $"<rect x=\"{cx - (slot * 0.3):0.#}\" y=\"{y:0.#}\" width=\"{slot * 0.6:0.#}\" height=\"{Bottom - y:0.#}\" fill=\"{colour}\" fill-opacity=\"0.25\" stroke=\"{colour}\"><title>{Escape(a.Name)}: {p:0.0} pooled</title></rect>"));
            }

            var k = 0;
            foreach (var v in perSeed(a))
            {
                // spread the dots across the bar so equal values stay visible
                var dx = ((k * 0.618034) % 1 - 0.5) * slot * 0.5;
                o.WriteLine(string.Create(C, $"<circle cx=\"{cx + dx:0.#}\" cy=\"{Y(v, max):0.#}\" r=\"2.5\" fill=\"{colour}\"/>"));
                k++;
            }

            Label(o, cx, a.Name);
        }
    }

    private static void LeadPanel(TextWriter o, int x0, IReadOnlyList<AssessorResult> assessors, double max)
    {
        Frame(o, x0, "Lead time of failures caught ahead (h)", max);
        var slot = (double)(PanelWidth - Left - 20) / Math.Max(1, assessors.Count);
        for (var i = 0; i < assessors.Count; i++)
        {
            var a = assessors[i];
            var l = a.LeadTimes;
            var colour = s_colours[i % s_colours.Length];
            var cx = x0 + Left + (slot * (i + 0.5));
            if (l is { P10: { } p10, P25: { } p25, Median: { } median, P75: { } p75, P90: { } p90 })
            {
                var w = slot * 0.3;
                o.WriteLine(string.Create(C, $"<line x1=\"{cx:0.#}\" x2=\"{cx:0.#}\" y1=\"{Y(p10, max):0.#}\" y2=\"{Y(p90, max):0.#}\" stroke=\"{colour}\"/>"));
                o.WriteLine(string.Create(C, $"<rect x=\"{cx - w:0.#}\" y=\"{Y(p75, max):0.#}\" width=\"{2 * w:0.#}\" height=\"{Y(p25, max) - Y(p75, max):0.#}\" fill=\"{colour}\" fill-opacity=\"0.25\" stroke=\"{colour}\"><title>{Escape(a.Name)}: {l.Count} failures caught ahead, median {median:0.#} h</title></rect>"));
                o.WriteLine(string.Create(C, $"<line x1=\"{cx - w:0.#}\" x2=\"{cx + w:0.#}\" y1=\"{Y(median, max):0.#}\" y2=\"{Y(median, max):0.#}\" stroke=\"{colour}\" stroke-width=\"2\"/>"));
            }

            Label(o, cx, string.Create(C, $"{a.Name} ({l.Count})"));
        }
    }

    private static void Frame(TextWriter o, int x0, string title, double max)
    {
        o.WriteLine(string.Create(C, $"<text x=\"{x0 + Left}\" y=\"{Top - 20}\" font-weight=\"bold\" fill=\"#222\">{Escape(title)}</text>"));
        o.WriteLine(string.Create(C, $"<line x1=\"{x0 + Left}\" x2=\"{x0 + Left}\" y1=\"{Top}\" y2=\"{Bottom}\" stroke=\"#444\"/>"));
        o.WriteLine(string.Create(C, $"<line x1=\"{x0 + Left}\" x2=\"{x0 + PanelWidth - 20}\" y1=\"{Bottom}\" y2=\"{Bottom}\" stroke=\"#444\"/>"));
        for (var t = 0; t <= 4; t++)
        {
            var v = max * t / 4;
            var y = Y(v, max);
            o.WriteLine(string.Create(C, $"<line x1=\"{x0 + Left - 4}\" x2=\"{x0 + PanelWidth - 20}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/>"));
            o.WriteLine(string.Create(C, $"<text x=\"{x0 + Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" fill=\"#333\">{v:0.##}</text>"));
        }
    }

    private static void Label(TextWriter o, double cx, string text) =>
        o.WriteLine(string.Create(C, $"<text x=\"{cx:0.#}\" y=\"{Bottom + 16}\" text-anchor=\"middle\" fill=\"#222\">{Escape(text)}</text>"));

    private static double Y(double value, double max) => Bottom - ((Bottom - Top) * Math.Clamp(value / max, 0, 1));

    /// <summary>The axis maximum: the value rounded up to 1, 2 or 5 times a power of ten (at least 1).</summary>
    internal static double NiceMax(double value)
    {
        if (!(value > 1))
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1.0, 2, 5, 10 })
        {
            if (value <= step * power)
            {
                return step * power;
            }
        }

        return 10 * power;
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
