namespace ModelWatch.Engine.Audit;

/// <summary>
/// OWASP CSV injection: a spreadsheet runs a cell that starts with = + - @ (or tab / carriage return) as a formula.
/// Such a field is written with a leading apostrophe. A stored field that itself starts with an apostrophe gets one
/// more, so the rule reverses exactly: drop one leading apostrophe from any field that has one to get the stored text.
/// </summary>
public static class CsvFormulaGuard
{
    public static bool NeedsGuard(ReadOnlySpan<byte> field) => !field.IsEmpty && field[0] is (byte)'=' or (byte)'+' or (byte)'-' or (byte)'@' or (byte)'\t' or (byte)'\r' or (byte)'\'';

    public static byte[] Guarded(ReadOnlySpan<byte> field)
    {
        var guarded = new byte[field.Length + 1];
        guarded[0] = (byte)'\'';
        field.CopyTo(guarded.AsSpan(1));
        return guarded;
    }

    /// <summary>The stored text of an exported field.</summary>
    public static string Unguard(string field) => field.StartsWith('\'') ? field[1..] : field;
}
