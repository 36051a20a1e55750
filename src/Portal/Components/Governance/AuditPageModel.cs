using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using ModelWatch.Engine;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Portal.Components.Governance;

/// <summary>
/// The audit page's filters, read from and written to the URL (?team=&amp;model=&amp;actor=&amp;action=&amp;from=&amp;to=) so a link
/// reproduces the view; the same names are the export endpoint's query.
/// </summary>
public sealed record AuditQuery(string? Team = null, string? Model = null, string? Actor = null, string? Action = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    public static readonly string[] Keys = ["team", "model", "actor", "action", "from", "to"];

    public AuditFilter ToFilter() => new(Team, Model, Actor, Action, From, To);

    public bool IsEmpty => this == new AuditQuery();

    public static AuditQuery FromUri(string uri)
    {
        var q = QueryHelpers.ParseQuery(new Uri(uri).Query);
        string? Text(string key) => q.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        return new AuditQuery(Text("team"), Text("model"), Text("actor"), Text("action"), Time(Text("from")), Time(Text("to")));
    }

    public static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;

    public IReadOnlyDictionary<string, object?> ToParameters() => new Dictionary<string, object?>
    {
        ["team"] = Team, ["model"] = Model, ["actor"] = Actor, ["action"] = Action,
        ["from"] = From is { } f ? Iso(f) : null, ["to"] = To is { } t ? Iso(t) : null,
    };

    /// <summary>The export endpoint with the current filters; the browser's cookie authenticates the download.</summary>
    public string ExportHref(string format)
    {
        var query = ToParameters().Where(p => p.Value is not null).ToDictionary(p => p.Key, p => (string?)p.Value);
        query["format"] = format;
        return QueryHelpers.AddQueryString("/api/v1/audit/export", query);
    }

    public static string EvidenceHref(string model) => "/api/v1/models/" + Uri.EscapeDataString(model) + "/evidence";

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>The filter choices the page offers: teams, models and the action names the log records.</summary>
public sealed record AuditChoices(IReadOnlyList<string> Teams, IReadOnlyList<string> Models, IReadOnlyList<string> Actions);

/// <summary>Reads the audit log for admins and auditors only; anyone else is refused before anything is read.</summary>
public sealed class AuditPageModel(AuditLog audit, RegistryStore registry)
{
    public const int DefaultPageSize = 50;
    public static readonly int[] PageSizes = [25, 50, 100, 250];

    public static readonly IReadOnlyList<string> Actions = typeof(AuditActions).GetFields()
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal).ToList();

    public const string Refusal = "Only admins and auditors read the audit log. Team members can download their model's evidence pack from the model's versions page.";

    public static bool MayRead(Caller caller) => caller.ReadsEverything;

    public Outcome<AuditChoices> Choices(Caller caller) => !MayRead(caller) ? OutcomeText.Forbidden<AuditChoices>(Refusal) :
        Outcome<AuditChoices>.Ok(new AuditChoices(registry.ListTeams().Select(t => t.Id).ToList(), registry.ListModels().Select(m => m.Id).ToList(), Actions));

    public Outcome<AuditVerification> Verify(Caller caller, CancellationToken cancellationToken = default) =>
        !MayRead(caller) ? OutcomeText.Forbidden<AuditVerification>(Refusal) : Outcome<AuditVerification>.Ok(audit.Verify(cancellationToken));

    /// <summary>One page, newest first, older than the cursor (a sequence number; null for the newest).</summary>
    public Outcome<AuditPage> Page(Caller caller, AuditQuery query, long? cursor, int size)
    {
        if (!MayRead(caller)) return OutcomeText.Forbidden<AuditPage>(Refusal);
        return Outcome<AuditPage>.Ok(audit.Page(query.ToFilter(), cursor, Math.Clamp(size, 1, 1000)));
    }
}

/// <summary>
/// Cursor paging through millions of rows without counting them: the cursors of the pages visited so far, so
/// "newer" goes back exactly and "older" follows the engine's next cursor.
/// </summary>
public sealed class AuditCursorTrail
{
    private readonly List<long?> _starts = [null];

    public int PageNumber => _starts.Count;
    public long? Current => _starts[^1];
    public bool HasNewer => _starts.Count > 1;

    public void Older(long next) => _starts.Add(next);

    public void Newer()
    {
        if (_starts.Count > 1) _starts.RemoveAt(_starts.Count - 1);
    }

    public void Reset()
    {
        _starts.Clear();
        _starts.Add(null);
    }
}
