using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Panels;

/// <summary>What every panel receives: the window's summary and the buffer its time charts draw and extend.</summary>
public abstract class PanelBase : ComponentBase
{
    [Parameter, EditorRequired] public ModelSummary Summary { get; set; } = default!;
    [Parameter, EditorRequired] public TimelineBuffer Timeline { get; set; } = TimelineBuffer.Empty;

    protected string WindowName => Summary.Window;

    /// <summary>Snapshot charts redraw when the summary is recomputed, not on every parent render.</summary>
    protected string SnapshotKey(string what) => $"{what}@{Summary.ComputedAt.ToUnixTimeMilliseconds()}";
}
