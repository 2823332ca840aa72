using AcpToApi.Hosting;
using AcpToApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AcpToApi.Tests.Hosting;

/// <summary>
/// After requests, an idle server gives memory back (on the app's clock): not before the idle period has passed, then
/// a few times one period apart, and then never again until new requests come.
/// </summary>
public sealed class IdleMemoryTrimTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TrimsOnlyAfterIdlingFollowingRequests()
    {
        var clock = new FakeClock();
        var half = TimeSpan.FromSeconds(7);
        await using var server = await GatewayServer.StartAsync(settings: new() { ["idleMemoryTrimSeconds"] = "14" }, time: clock);
        var trim = server.Services.GetRequiredService<IdleMemoryTrim>();
        using var http = server.CreateHttpClient();

        // Idle from the start, but no request yet: checks come and go without a trim.
        await TickAsync(clock, half, 4);
        Assert.Equal(0, trim.Trims);

        using var response = await http.GetAsync("/health", Ct);
        await TickAsync(clock, half, 1);
        Assert.Equal(0, trim.Trims); // not idle long enough yet

        // Request done (its end time is noted as the response leaves, so allow a check's slack): the trims follow, one period apart.
        for (var i = 0; i < 12 && trim.Trims < IdleMemoryTrim.TrimsPerIdle; i++)
        {
            await TickAsync(clock, half, 1);
        }
        Assert.Equal(IdleMemoryTrim.TrimsPerIdle, trim.Trims);

        await TickAsync(clock, half, 6);
        Assert.Equal(IdleMemoryTrim.TrimsPerIdle, trim.Trims); // idle ever since: no more
    }

    /// <summary>Moves the clock by one check period once the trimmer waits on it, and waits until that check has run.</summary>
    private static async Task TickAsync(FakeClock clock, TimeSpan period, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await Eventually.WaitAsync(() => clock.TimersCreated(period) > 0, "the trimmer waiting for its first check");
            var created = clock.TimersCreated(period);
            clock.Advance(period);
            await Eventually.WaitAsync(() => clock.TimersCreated(period) > created, "the trimmer's check");
        }
    }
}
