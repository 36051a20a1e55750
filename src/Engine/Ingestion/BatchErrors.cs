namespace ModelWatch.Engine.Ingestion;

/// <summary>Collects every problem in a batch (up to a listing cap) so a sender can fix them all in one go.</summary>
public sealed class BatchErrors
{
    public const int MaxListed = 1_000;
    private readonly List<FieldError> _listed = [];

    public int Total { get; private set; }
    public bool Any => Total > 0;
    public IReadOnlyList<FieldError> Listed => _listed;

    public void Add(int? index, string field, string reason)
    {
        Total++;
        if (_listed.Count < MaxListed) _listed.Add(new FieldError(field, reason, index));
    }

    public string Summary(string what) => Total <= MaxListed
        ? $"{Total} problem{(Total == 1 ? "" : "s")} in the {what}; nothing from this batch was stored."
        : $"{Total} problems in the {what} (the first {MaxListed} are listed); nothing from this batch was stored.";
}
