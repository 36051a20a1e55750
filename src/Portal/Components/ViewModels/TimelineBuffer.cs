using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Components.ViewModels;

public enum TimelineChange { Ignored, Appended, Replaced }

/// <summary>
/// The points a page's charts draw: the loaded timeline plus live steps. A live point for the newest step replaces it
/// (that step is still filling); a newer step is appended; the oldest fall off beyond <see cref="Capacity"/>.
/// Charts compare <see cref="Revision"/> to what they drew and extend their traces with the difference.
/// </summary>
public sealed class TimelineBuffer
{
    private readonly List<TimelinePoint> _points;

    public TimelineBuffer(IEnumerable<TimelinePoint> points, int capacity = 240)
    {
        Capacity = capacity;
        _points = points.OrderBy(p => p.Time).TakeLast(capacity).ToList();
    }

    public static TimelineBuffer Empty => new([]);

    public int Capacity { get; }

    public int Revision { get; private set; }

    public IReadOnlyList<TimelinePoint> Points => _points;

    public TimelinePoint? Last => _points.Count == 0 ? null : _points[^1];

    public TimelineChange Apply(TimelinePoint point)
    {
        if (_points.Count > 0 && point.Time < _points[^1].Time) return TimelineChange.Ignored;
        TimelineChange change;
        if (_points.Count > 0 && point.Time == _points[^1].Time)
        {
            _points[^1] = point;
            change = TimelineChange.Replaced;
        }
        else
        {
            // The step that was filling is complete now: its sums may be drawn (it missed at most one live interval).
            if (_points.Count > 0 && _points[^1].Partial) _points[^1] = _points[^1] with { Partial = false };
            _points.Add(point);
            if (_points.Count > Capacity) _points.RemoveAt(0);
            change = TimelineChange.Appended;
        }
        Revision++;
        return change;
    }
}
