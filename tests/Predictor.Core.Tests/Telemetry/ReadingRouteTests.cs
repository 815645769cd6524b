using Predictor.Core.Telemetry;

namespace Predictor.Core.Tests.Telemetry;

public sealed class ReadingRouteTests
{
    [Fact]
    public void Remembered_SecondPoint_WhereEachPositionWasFound()
    {
        var route = new ReadingRoute();
        route.BeginPoint();
        Assert.Equal((-1, 0), (route.Remembered, route.Next));
        foreach (var index in new[] { 7, 2, 9 })
        {
            route.Found(index);
        }

        route.BeginPoint();
        var remembered = new List<int>();
        for (var k = 0; k < 4; k++)
        {
            remembered.Add(route.Remembered);
            route.Found(k == 1 ? 4 : remembered[^1] < 0 ? 11 : remembered[^1]);
        }

        Assert.Equal([7, 2, 9, -1], remembered);
        // the entry after the last one found, for sources writing sample by sample
        Assert.Equal(12, route.Next);
        route.BeginPoint();
        route.Found(0);
        Assert.Equal(4, route.Remembered);
    }

    [Fact]
    public void Found_PastMaxPositions_NotRememberedButNextStillMoves()
    {
        var route = new ReadingRoute();
        route.BeginPoint();
        for (var k = 0; k < ReadingRoute.MaxPositions + 10; k++)
        {
            route.Found(k);
        }

        Assert.Equal(ReadingRoute.MaxPositions + 10, route.Next);
        route.BeginPoint();
        for (var k = 0; k < ReadingRoute.MaxPositions; k++)
        {
            route.Found(route.Remembered);
        }

        Assert.Equal(-1, route.Remembered);
    }
}
