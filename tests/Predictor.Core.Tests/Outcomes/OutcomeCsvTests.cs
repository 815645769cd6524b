using Predictor.Core.Outcomes;

namespace Predictor.Core.Tests.Outcomes;

public sealed class OutcomeCsvTests
{
    private static OutcomeCsv.Result Parse(string text) => OutcomeCsv.Parse(new StringReader(text), "tickets.csv", "tickets");

    [Fact]
    public void Parse_TicketExport_ReadsEveryFieldWithDefaults()
    {
        var result = Parse("""
            host,time,component,cause,source,kind
            h0001,2026-01-05T10:00:00Z,disk:sdb,disk-media,RMA,
            h0002,2026-01-06T08:30:00+02:00,,"psu, then fan",,repaired

            """);

        Assert.Equal(
            [
                new HostOutcome("h0001", new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero), OutcomeKind.Failed, "disk:sdb", "disk-media", "RMA"),
                new HostOutcome("h0002", new DateTimeOffset(2026, 1, 6, 6, 30, 0, TimeSpan.Zero), OutcomeKind.Repaired, null, "psu, then fan", "tickets"),
            ],
            result.Outcomes);
        Assert.Empty(result.Ignored);
    }

    [Fact]
    public void Parse_SimulatorLabels_TakesFailsAtAsTheTimeAndIgnoresTheOtherColumns()
    {
        var result = Parse("host,fails_at,component,cause,precursor_start\nh0007,2026-01-05T13:20:00Z,dimm:A3,memory-uncorrectable,2026-01-04T00:00:00Z\n");

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal(("h0007", OutcomeKind.Failed, "dimm:A3"), (outcome.Host, outcome.Kind, outcome.Component));
        Assert.Equal(["precursor_start"], result.Ignored);
    }

    [Fact]
    public void Parse_BadLines_NameEachLineAndFieldAndImportNothing()
    {
        var error = Assert.Throws<OutcomeCsvException>(() => Parse("""
            host,time,kind
            h1,2026-01-05T10:00:00Z,failed
            ,2026-01-05 10:00:00,exploded
            h3,yesterday,failed
            h4,2026-01-05T10:00:00Z
            """));

        Assert.Equal(
            [
                "tickets.csv:3: field 'host' is empty",
                "tickets.csv:3: field 'time' is not an ISO 8601 time with a zone (got '2026-01-05 10:00:00'; expected e.g. 2026-01-05T10:00:00Z)",
                "tickets.csv:3: field 'kind' is unknown (got 'exploded'; expected one of failed, repaired, decommissioned, evacuated, released)",
                "tickets.csv:4: field 'time' is not an ISO 8601 time with a zone (got 'yesterday'; expected e.g. 2026-01-05T10:00:00Z)",
                "tickets.csv:5: 2 fields, but the header has 3",
            ],
            error.Errors);
        Assert.StartsWith("tickets.csv is invalid (5 errors):", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HeaderWithoutHostOrTime_SaysWhatItExpects()
    {
        var error = Assert.Throws<OutcomeCsvException>(() => Parse("server,date\nh1,2026-01-05T10:00:00Z\n"));

        Assert.Equal(
            [
                "tickets.csv:1: the header has no 'host' column (got server,date)",
                "tickets.csv:1: the header has no time column; expected one of 'time', 'at', 'fails_at' (got server,date)",
            ],
            error.Errors);
    }

    [Fact]
    public void Parse_QuotedFieldOverTwoLines_CountsLinesFromTheFile()
    {
        var error = Assert.Throws<OutcomeCsvException>(() => Parse("host,time,cause\nh1,2026-01-05T10:00:00Z,\"two\nlines\"\nh2,never,x\n"));

        Assert.Equal(["tickets.csv:4: field 'time' is not an ISO 8601 time with a zone (got 'never'; expected e.g. 2026-01-05T10:00:00Z)"], error.Errors);
    }

    [Theory]
    [InlineData("2026-01-05T10:00:00Z", true)]
    [InlineData("2026-01-05T10:00:00.5+01:00", true)]
    [InlineData("2026-01-05T10:00:00", false)]
    [InlineData("2026-01-05", false)]
    public void TryParseTime_RequiresAZone(string text, bool accepted) =>
        Assert.Equal(accepted, OutcomeCsv.TryParseTime(text, out _));
}
