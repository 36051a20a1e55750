using Microsoft.Extensions.DependencyInjection;
using ModelWatch.Engine.Live;
using ModelWatch.Portal.Tests.TestSupport;

namespace ModelWatch.Portal.Tests.Monitoring;

public class LiveOptionsTests
{
    [Fact]
    public void The_live_interval_defaults_to_200_ms()
    {
        using var factory = new PortalFactory();
        _ = factory.Server;

        Assert.Equal(TimeSpan.FromMilliseconds(200), factory.Services.GetRequiredService<LiveFeed>().Interval);
    }

    [Fact]
    public void The_live_interval_comes_from_configuration()
    {
        using var factory = PortalFactory.With(new Dictionary<string, string?> { ["Portal:Live:IntervalMs"] = "500" });
        _ = factory.Server;

        Assert.Equal(TimeSpan.FromMilliseconds(500), factory.Services.GetRequiredService<LiveFeed>().Interval);
    }

    [Fact]
    public void An_interval_out_of_range_stops_the_start_with_the_key_named()
    {
        using var factory = PortalFactory.With(new Dictionary<string, string?> { ["Portal:Live:IntervalMs"] = "5" });

        var error = Record.Exception(() => factory.Server);

        Assert.NotNull(error);
        Assert.Contains("IntervalMs", Flatten(error));
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " " + Flatten(e.InnerException);
}
