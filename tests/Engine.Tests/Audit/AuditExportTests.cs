using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Audit;

public sealed class AuditExportTests : AuditLogOnFakeClock
{
    public AuditExportTests()
    {
        for (var i = 1; i <= 20; i++)
        {
            Log.Append(new NewAuditEntry(i % 3 == 0 ? "user:omar" : "user:dana", AuditActions.AliasRequested, i % 2 == 0 ? "payments-risk" : "growth", i % 2 == 0 ? "fraud-detector" : "churn",
                "1.0.0", Before: null, After: new { alias = "production", note = "a, \"quoted\"\r\nline" }, Reason: i == 4 ? "=HYPERLINK(\"x\")" : "ship it"));
            Clock.Advance(TimeSpan.FromMinutes(1));
        }
    }

    private async Task<(byte[] Body, AuditExportManifest Manifest)> ExportAsync(AuditExportFormat format, AuditFilter filter)
    {
        using var output = new MemoryStream();
        var manifest = await Log.ExportAsync(output, filter, format);
        return (output.ToArray(), manifest);
    }

    [Fact]
    public async Task A_csv_export_matches_its_manifest_and_every_row_re_hashes_to_the_chain()
    {
        var (body, manifest) = await ExportAsync(AuditExportFormat.Csv, new AuditFilter(Model: "fraud-detector"));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), manifest.BodySha256);
        Assert.Equal(body.Length, manifest.BodyBytes);
        var rows = Csv.Parse(Encoding.UTF8.GetString(body));
        Assert.Equal(AuditExport.CsvHeader, rows[0]);
        Assert.Equal(10, manifest.Entries);
        Assert.Equal(11, rows.Count);
        Assert.Equal((2L, 20L), (manifest.FirstSequence, manifest.LastSequence));
        var chain = Log.Read(AuditFilter.All, long.MaxValue).ToDictionary(e => e.Sequence);
        Assert.Equal(chain[2].Hash, manifest.FirstHash);
        Assert.Equal(chain[20].Hash, manifest.LastHash);
        foreach (var exported in rows.Skip(1))
        {
            // The documented rule: drop one leading apostrophe (the CSV-injection guard) to get the stored text.
            var r = exported.Select(f => f.StartsWith('\'') ? f[1..] : f).ToArray();
            string? N(int i) => r[i].Length == 0 ? null : r[i];
            var recomputed = AuditCanonical.Hash(r[10], long.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture), r[1], r[2], r[3], N(4), N(5), N(6), N(7), N(8), N(9));
            Assert.Equal(r[11], recomputed);
            Assert.Equal(chain[long.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture)].Hash, r[11]);
        }
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\")")]
    [InlineData("+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tindented")]
    [InlineData("\rreturn")]
    [InlineData("'already quoted")]
    public async Task A_csv_cell_a_spreadsheet_would_run_as_a_formula_starts_with_an_apostrophe_and_the_row_still_re_hashes(string reason)
    {
        var stored = Log.Append(new NewAuditEntry("user:mallory", AuditActions.AliasRequested, "payments-risk", "csv-injection", "1.0.0", Before: null, After: null, Reason: reason));

        var (body, _) = await ExportAsync(AuditExportFormat.Csv, new AuditFilter(Model: "csv-injection"));

        var row = Csv.Parse(Encoding.UTF8.GetString(body))[1];
        Assert.Equal("'" + stored.Reason, row[9]);
        Assert.Equal(stored.Reason, row[9][1..]);
        Assert.Equal("user:mallory", row[2]);
    }

    [Fact]
    public async Task A_jsonl_export_has_one_entry_per_line_and_re_hashes_to_the_chain()
    {
        var (body, manifest) = await ExportAsync(AuditExportFormat.Jsonl, new AuditFilter(Actor: "user:omar"));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), manifest.BodySha256);
        var lines = Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.Equal(6, manifest.Entries);
        foreach (var line in lines)
        {
            var e = JsonDocument.Parse(line).RootElement;
            string? S(string name) => e.GetProperty(name).GetString();
            Assert.Equal(S("hash"), AuditCanonical.Hash(S("prevHash")!, e.GetProperty("seq").GetInt64(), S("at")!, S("actor")!, S("action")!,
                S("subjectTeam"), S("subjectModel"), S("subjectVersion"), S("before"), S("after"), S("reason")));
        }
        Assert.Contains(manifest.LastHash!, lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_of_nothing_is_a_header_and_an_empty_manifest()
    {
        var (body, manifest) = await ExportAsync(AuditExportFormat.Csv, new AuditFilter(Team: "nobody"));

        Assert.Equal(0, manifest.Entries);
        Assert.Null(manifest.FirstSequence);
        Assert.Equal("seq,at,actor,action,subject_team,subject_model,subject_version,before,after,reason,prev_hash,hash\r\n", Encoding.UTF8.GetString(body));
    }

}

/// <summary>A minimal RFC 4180 reader, so the test does not trust the library that wrote the file.</summary>
internal static class Csv
{
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString()); field.Clear();
                rows.Add([.. fields]); fields.Clear();
                i++;
            }
            else field.Append(c);
        }
        return rows;
    }
}
