using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ModelWatch.Engine.Alerting;

/// <summary>Every EvaluationIntervalSeconds: evaluate every rule, dispatch groups; the outbox is drained every second.</summary>
public sealed class AlertingLoop(AlertEvaluator evaluator, AlertDispatcher dispatcher, AlertOutbox outbox, TimeProvider clock, ILogger<AlertingLoop> logger) : BackgroundService
{
    private static readonly TimeSpan OutboxTick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextRound = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (clock.GetUtcNow() >= nextRound)
            {
                nextRound = clock.GetUtcNow() + evaluator.Interval;
                try
                {
                    evaluator.Evaluate();
                    dispatcher.Dispatch();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Alert evaluation round failed");
                }
            }
            try { await outbox.ProcessDueAsync(stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogError(e, "Alert outbox round failed"); }
            try { await Task.Delay(OutboxTick, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
