namespace ModelWatch.Engine.Ingestion;

/// <summary>What a committed write did: accepted and duplicate predictions, matched and unmatched labels.</summary>
public sealed record WriteReceipt(int Accepted, int Duplicates = 0, int Matched = 0, int Unmatched = 0);
