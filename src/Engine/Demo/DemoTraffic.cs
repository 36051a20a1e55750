using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Demo;

/// <summary>
/// Seeds the demo (and its alert rules, where alerting is registered) and runs the simulator every <see cref="DemoSimulator.TickInterval"/> once the ingestion writer is
/// up. A client of the ingestion pipeline like any other sender; a failure is logged and never stops the portal.
/// </summary>
public sealed class DemoTraffic(
    IOptions<DemoOptions> options,
    DemoSeeder seeder,
    RegistryStore registry,
    IngestionService ingestion,
    EngineHealth health,
    TimeProvider clock,
    ILogger<DemoTraffic> logger,
    DemoAlertRules? alertRules = null) : BackgroundService
{
    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            logger.LogInformation("Demo traffic is off (Portal:Demo:Enabled=false)");
            return;
        }
        try
        {
            while (!health.IsReady) await Task.Delay(ReadyPoll, clock, stoppingToken).ConfigureAwait(false);
            await seeder.SeedAsync(o, stoppingToken).ConfigureAwait(false);
            alertRules?.Ensure();

            var simulator = DemoSimulator.Create(o, registry, ingestion, clock, logger);
            logger.LogInformation("Demo traffic started: {Rate} events/s across {Models}; episodes repeat every {Cycle}", o.EventsPerSecond, string.Join(", ", simulator.ModelIds), o.EpisodeCycle);
            using var timer = new PeriodicTimer(DemoSimulator.TickInterval, clock);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await simulator.StepAsync(clock.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "A demo traffic step failed; retrying in {Backoff}", FailureBackoff);
                    await Task.Delay(FailureBackoff, clock, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        catch (Exception e)
        {
            // The demo is a nicety: seeding that fails must not take the portal down with it.
            logger.LogError(e, "Demo traffic stopped");
        }
    }
}
