namespace ModelWatch.Engine.Ingestion;

/// <summary>What was wrong with one declared feature of an accepted event (counted in the minute buckets' quality).</summary>
public enum QualityProblem : byte { None, Missing, TypeError, OutOfBounds, UnknownCategory }
