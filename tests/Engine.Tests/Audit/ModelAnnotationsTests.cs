using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Audit;

/// <summary>Issue 12 item 10: the changes marked on a model's time charts come from its audit trail.</summary>
public sealed class ModelAnnotationsTests : AuditLogOnFakeClock
{
    private void Step() => Clock.Advance(TimeSpan.FromMinutes(5));

    [Fact]
    public void Versions_promotions_references_settings_and_owners_of_the_model_become_markers_in_time_order()
    {
        var start = Clock.GetUtcNow();
        Log.Append(new NewAuditEntry("user:dana", AuditActions.VersionRegistered, "payments-risk", "fraud-detector", "1.1.0", After: new { version = "1.1.0" }));
        Step();
        Log.Append(new NewAuditEntry("key:ci", AuditActions.BaselineUploaded, null, "fraud-detector", "1.1.0", After: new { rows = 2000 }));
        Step();
        Log.Append(new NewAuditEntry("user:omar", AuditActions.SignInFailed, null, null, Reason: "wrong password"));
        Log.Append(new NewAuditEntry("user:eve", AuditActions.AccessDenied, "payments-risk", "fraud-detector", Reason: "not a member"));
        Log.Append(new NewAuditEntry("user:dana", AuditActions.VersionRegistered, "growth", "churn-predictor", "2.0.0"));
        Step();
        Log.Append(new NewAuditEntry("user:admin", AuditActions.AliasApproved, "payments-risk", "fraud-detector", "1.1.0",
            After: new { request = 7, alias = "production", version = "1.1.0", requestedBy = "user:dana", requestedFor = "user:dana" }));
        Step();
        Log.Append(new NewAuditEntry("user:dana", AuditActions.DriftSettingsChanged, "payments-risk", "fraud-detector", After: new { shareThreshold = 0.4 }));
        Step();
        Log.Append(new NewAuditEntry("user:admin", AuditActions.OwnerChanged, "growth", "fraud-detector",
            Before: new { team = "payments-risk", onCall = (string?)null }, After: new { team = "growth", onCall = "oncall@example.com" }));

        var marks = new ModelAnnotations(Log).For("fraud-detector", start, Clock.GetUtcNow().AddSeconds(1));

        Assert.Equal(
        [
            (start, "version", "Version 1.1.0 registered by user:dana"),
            (start.AddMinutes(5), "reference", "New reference for version 1.1.0 (2000 rows) by key:ci"),
            (start.AddMinutes(15), "promotion", "Alias production → 1.1.0 (approved by user:admin)"),
            (start.AddMinutes(20), "settings", "Drift settings changed by user:dana"),
            (start.AddMinutes(25), "ownership", "Owner payments-risk → growth by user:admin"),
        ], marks.Select(m => (m.At, m.Kind, m.Text)));
    }

    [Fact]
    public void Only_the_window_is_read_and_a_busy_model_keeps_its_newest_markers()
    {
        var start = Clock.GetUtcNow();
        for (var i = 0; i < ModelAnnotations.MaxPerWindow + 20; i++)
        {
            Log.Append(new NewAuditEntry("user:admin", AuditActions.AliasSet, "payments-risk", "fraud-detector", $"1.{i}.0", After: new { alias = "staging", version = $"1.{i}.0" }));
            Clock.Advance(TimeSpan.FromSeconds(10));
        }

        var all = new ModelAnnotations(Log).For("fraud-detector", start, Clock.GetUtcNow());
        var firstTen = new ModelAnnotations(Log).For("fraud-detector", start, start.AddSeconds(100));

        Assert.Equal(ModelAnnotations.MaxPerWindow, all.Count);
        Assert.Equal($"Alias staging → 1.{ModelAnnotations.MaxPerWindow + 19}.0 (set by user:admin)", all[^1].Text);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.At < p.Second.At));
        Assert.Equal(10, firstTen.Count);
    }
}
