namespace ModelWatch.Engine.Audit;

/// <summary>
/// A forward-only read of audit rows that hands text columns out as UTF-8 spans, so a million-entry verify or export runs
/// with flat memory. Columns are those of <see cref="AuditStore"/>'s selects: seq, at, actor, ..., prev_hash, hash.
/// </summary>
internal abstract class AuditCursor : IDisposable
{
    public const int Seq = 0, At = 1, Actor = 2, Action = 3, Team = 4, Model = 5, Version = 6, Before = 7, After = 8, Reason = 9, PrevHash = 10, Hash = 11;

    public abstract bool Next();

    public abstract long Int64(int column);

    public abstract bool IsNull(int column);

    /// <summary>The column's UTF-8 bytes, valid until the next call to <see cref="Next"/>.</summary>
    public abstract ReadOnlySpan<byte> Utf8(int column);

    public string? Text(int column) => IsNull(column) ? null : System.Text.Encoding.UTF8.GetString(Utf8(column));

    public AuditEntry Entry() => new(
        Int64(Seq), DateTimeOffset.FromUnixTimeMilliseconds(Int64(At)), Text(Actor)!, Text(Action)!, Text(Team), Text(Model), Text(Version),
        Text(Before), Text(After), Text(Reason), Text(PrevHash)!, Text(Hash)!);

    public abstract void Dispose();
}
