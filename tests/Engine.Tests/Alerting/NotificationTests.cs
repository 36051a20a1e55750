using System.Net;
using System.Text.Json;
using ModelWatch.Engine.Alerting;

namespace ModelWatch.Engine.Tests.Alerting;

/// <summary>Grouping, group wait, silences, restart and the outbox, on a simulated clock with a real local HTTP receiver.</summary>
public sealed class NotificationTests : IDisposable
{
    private readonly AlertingHarness _h = new();

    public NotificationTests() => _h.Model(onCall: "pager:payments");

    private const string Drift = """{ "name": "drift", "model": "fraud-detector", "signal": "featureDrift", "window": "1h", "condition": { "type": "threshold", "op": ">", "value": 0.1 } }""";

    [Fact]
    public void Many_features_drifting_at_once_make_one_notification_after_group_wait()
    {
        _h.Notifications("payments-risk", """{ "receivers": [ { "name": "inbox", "type": "builtin" } ], "groupBy": ["model", "rule"], "groupWaitSeconds": 30, "groupIntervalSeconds": 300, "repeatIntervalSeconds": 3600 }""");
        _h.Rule(Drift);
        _h.Summaries.Drift("fraud-detector", new Dictionary<string, double> { ["amount"] = 0.3, ["age"] = 0.5, ["country"] = 0.4 });
        _h.Round();
        Assert.Equal(3, _h.AlertsOf(AlertRecord.Firing).Count);
        Assert.Empty(_h.AllDeliveries()); // group wait
        _h.Run(TimeSpan.FromSeconds(30));
        var delivery = Assert.Single(_h.AllDeliveries());
        var message = JsonSerializer.Deserialize<JsonElement>(delivery.Payload);
        Assert.Equal("4", message.GetProperty("version").GetString());
        Assert.Equal(3, message.GetProperty("alerts").GetArrayLength());
        Assert.Equal("{}/{team=\"payments-risk\"}:{alertname=\"drift\", model=\"fraud-detector\"}", message.GetProperty("groupKey").GetString());
        Assert.Equal("pager:payments", message.GetProperty("alerts")[0].GetProperty("annotations").GetProperty("on_call").GetString());
        _h.Run(TimeSpan.FromMinutes(30));
        Assert.Single(_h.AllDeliveries()); // nothing changed, repeat interval not over
        _h.Run(TimeSpan.FromMinutes(31));
        Assert.Equal(2, _h.AllDeliveries().Count); // repeat
    }

    [Fact]
    public void An_acknowledged_alert_is_not_repeated()
    {
        _h.Notifications("payments-risk", """{ "receivers": [ { "name": "inbox", "type": "builtin" } ], "groupWaitSeconds": 0, "groupIntervalSeconds": 60, "repeatIntervalSeconds": 600 }""");
        _h.Rule(Drift);
        _h.Summaries.Drift("fraud-detector", new Dictionary<string, double> { ["amount"] = 0.3 });
        _h.Round();
        _h.Round();
        Assert.Single(_h.AllDeliveries());
        Assert.True(_h.AlertCommands.Acknowledge(_h.AlertsOf().Single().Id, "looking", AlertingHarness.Member).IsOk);
        _h.Run(TimeSpan.FromMinutes(30));
        Assert.Single(_h.AllDeliveries());
    }

    [Fact]
    public void A_silenced_alert_notifies_nobody_until_the_silence_ends()
    {
        _h.Notifications("payments-risk", """{ "receivers": [ { "name": "inbox", "type": "builtin" } ], "groupWaitSeconds": 0, "groupIntervalSeconds": 60, "repeatIntervalSeconds": 3600 }""");
        Assert.True(_h.Silences.Add(new SilenceSpec([new MatcherSpec("model", "=", "fraud-detector")], null, _h.Clock.GetUtcNow().AddMinutes(10), "maintenance"), AlertingHarness.Member).IsOk);
        _h.Rule(Drift);
        _h.Summaries.Drift("fraud-detector", new Dictionary<string, double> { ["amount"] = 0.3 });
        _h.Run(TimeSpan.FromMinutes(9));
        Assert.Single(_h.AlertsOf(AlertRecord.Firing));
        Assert.Empty(_h.AllDeliveries());
        _h.Run(TimeSpan.FromMinutes(3));
        Assert.Single(_h.AllDeliveries());
    }

    [Fact]
    public void A_restart_does_not_notify_a_firing_alert_again()
    {
        _h.Notifications("payments-risk", """{ "receivers": [ { "name": "inbox", "type": "builtin" } ], "groupWaitSeconds": 0, "groupIntervalSeconds": 60, "repeatIntervalSeconds": 3600 }""");
        _h.Rule(Drift);
        _h.Summaries.Drift("fraud-detector", new Dictionary<string, double> { ["amount"] = 0.3 });
        _h.Run(TimeSpan.FromMinutes(2));
        Assert.Single(_h.AllDeliveries());
        _h.Restart();
        _h.Summaries.Drift("fraud-detector", new Dictionary<string, double> { ["amount"] = 0.3 });
        _h.Run(TimeSpan.FromMinutes(5));
        Assert.Single(_h.AllDeliveries());
        Assert.Single(_h.AlertsOf(AlertRecord.Firing));
    }

    [Fact]
    public void Unacknowledged_alerts_are_escalated_once_after_escalateAfterMinutes()
    {
        _h.Notifications("payments-risk", """{ "receivers": [ { "name": "inbox", "type": "builtin" } ], "groupWaitSeconds": 0, "groupIntervalSeconds": 60, "repeatIntervalSeconds": 86400, "escalateAfterMinutes": 30 }""");
        var model = _h.Registry.FindModel("fraud-detector")!;
        Assert.True(_h.Ownership.ChangeOwner(model, new ModelWatch.Engine.Registry.OwnerChangeRequest("payments-risk", "escalation", null, "boss@example.com"), AlertingHarness.Admin).IsOk);
        _h.Rule(Drift);
        _h.Summaries.Drift("fraud-detector", new Dictionary<string, double> { ["amount"] = 0.3 });
        _h.Run(TimeSpan.FromMinutes(29));
        Assert.DoesNotContain(_h.AllDeliveries(), d => d.Reason == "escalation");
        _h.Run(TimeSpan.FromMinutes(5));
        var escalation = Assert.Single(_h.AllDeliveries(), d => d.Reason == "escalation");
        Assert.Equal("email", escalation.Kind);
        Assert.Equal("boss@example.com", escalation.Target);
    }

    [Fact]
    public async Task The_outbox_retries_a_receiver_that_fails_twice_with_backoff()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/hook/");
        listener.Start();
        var bodies = new List<string>();
        var serve = Task.Run(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                var context = await listener.GetContextAsync();
                using var reader = new StreamReader(context.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                lock (bodies) bodies.Add(body);
                context.Response.StatusCode = i < 2 ? 503 : 200;
                context.Response.Close();
            }
        });
        _h.Notifications("payments-risk", $$"""{ "receivers": [ { "name": "hook", "type": "webhook", "url": "http://127.0.0.1:{{port}}/hook/" } ], "groupWaitSeconds": 0 }""");
        _h.Rule(Drift);
        _h.Summaries.Drift("fraud-detector", new Dictionary<string, double> { ["amount"] = 0.3 });
        _h.Round();
        Assert.Equal(1, await _h.Outbox.ProcessDueAsync(CancellationToken.None));
        Assert.Equal(0, await _h.Outbox.ProcessDueAsync(CancellationToken.None)); // backoff: not due yet
        _h.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await _h.Outbox.ProcessDueAsync(CancellationToken.None));
        _h.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await _h.Outbox.ProcessDueAsync(CancellationToken.None));
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
        var (delivery, attempts) = _h.Deliveries.ForAlert(_h.AlertsOf().Single().Id).Single();
        Assert.Equal(Delivery.Sent, delivery.Status);
        Assert.Equal([false, false, true], attempts.Select(a => a.Ok));
        Assert.StartsWith("HTTP 503", attempts[0].Answer);
        Assert.All(bodies, b => Assert.Equal("4", JsonSerializer.Deserialize<JsonElement>(b).GetProperty("version").GetString()));
        var audit = _h.Audit.Read(ModelWatch.Engine.Audit.AuditFilter.All, _h.Audit.HeadSequence());
        Assert.Equal(2, audit.Count(e => e.Action == AlertAuditActions.NotificationFailed));
        Assert.Single(audit, e => e.Action == AlertAuditActions.NotificationSent);
    }

    [Fact]
    public async Task Email_goes_through_a_real_SMTP_server()
    {
        using var smtp = netDumbster.smtp.SimpleSmtpServer.Start(FreePort());
        _h.Options.Smtp.Host = "127.0.0.1";
        _h.Options.Smtp.Port = smtp.Configuration.Port;
        _h.Notifications("payments-risk", """{ "receivers": [ { "name": "mail", "type": "email", "to": ["oncall@example.com"] } ], "groupWaitSeconds": 0 }""");
        _h.Rule(Drift);
        _h.Summaries.Drift("fraud-detector", new Dictionary<string, double> { ["amount"] = 0.3 });
        _h.Round();
        Assert.Equal(1, await _h.Outbox.ProcessDueAsync(CancellationToken.None));
        var mail = Assert.Single(smtp.ReceivedEmail);
        Assert.Contains("drift", mail.Headers["Subject"]);
        Assert.Equal("oncall@example.com", mail.ToAddresses.Single().Address);
    }

    [Fact]
    public void The_fingerprint_is_Alertmanagers_FNV_hash_of_the_sorted_labels()
    {
        var a = AlertLabels.Fingerprint(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" });
        var b = AlertLabels.Fingerprint(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        Assert.Equal(a, b);
        Assert.Equal(16, a.Length);
        Assert.NotEqual(a, AlertLabels.Fingerprint(new Dictionary<string, string> { ["a"] = "1", ["b"] = "3" }));
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose() => _h.Dispose();
}
