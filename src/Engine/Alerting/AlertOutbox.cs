using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Audit;

namespace ModelWatch.Engine.Alerting;

/// <summary>
/// Sends due outbox rows. A failure is retried with exponential backoff (FirstRetrySeconds, doubling, capped at
/// MaxBackoffSeconds) until MaxDeliveryHours after it was queued; every attempt and its answer is logged, and sent or
/// failed notifications go into the audit chain. Rows live in the database, so a restart resumes them.
/// </summary>
public sealed class AlertOutbox(DeliveryStore deliveries, AlertTransports transports, AuditLog audit, TimeProvider clock, IOptions<AlertingOptions> options, ILogger<AlertOutbox> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Sends everything due now; returns how many attempts were made.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var attempts = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                var due = deliveries.Due(clock.GetUtcNow(), 20);
                if (due.Count == 0) break;
                foreach (var delivery in due)
                {
                    var answer = await transports.SendAsync(delivery, cancellationToken);
                    Record(delivery, answer);
                    attempts++;
                }
            }
            return attempts;
        }
        finally
        {
            _gate.Release();
        }
    }

    public TimeSpan Backoff(int attempt)
    {
        var o = options.Value;
        var seconds = o.FirstRetrySeconds * Math.Pow(2, Math.Max(0, attempt - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds, o.MaxBackoffSeconds));
    }

    private void Record(Delivery delivery, TransportAnswer answer)
    {
        var now = clock.GetUtcNow();
        var attempt = delivery.Attempts + 1;
        var next = now + Backoff(attempt);
        var status = answer.Ok ? Delivery.Sent : next > delivery.GiveUpAt ? Delivery.Failed : Delivery.Pending;
        if (!answer.Ok) logger.LogWarning("Alert delivery {Id} to {Receiver} failed (attempt {Attempt}): {Answer}", delivery.Id, delivery.Receiver, attempt, answer.Answer);
        audit.Write(scope =>
        {
            deliveries.RecordAttempt(scope.Connection, scope.Transaction, delivery.Id, now, answer.Ok, answer.Answer, status, answer.Ok ? now : next);
            scope.Record(new NewAuditEntry("system:alerting", answer.Ok ? AlertAuditActions.NotificationSent : AlertAuditActions.NotificationFailed,
                delivery.Scope == NotificationSettings.DefaultScope ? null : delivery.Scope,
                After: new { delivery = delivery.Id, delivery.Receiver, delivery.Kind, delivery.Target, delivery.Reason, attempt, answer = answer.Answer, status },
                Reason: status == Delivery.Failed ? $"given up after {attempt} attempts" : null));
            return 0;
        });
    }
}
