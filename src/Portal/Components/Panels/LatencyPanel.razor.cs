using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Panels;

/// <summary>Latency percentiles against the SLO, throughput and errors, and the serving machine's CPU, memory and GPU.</summary>
public partial class LatencyPanel : PanelBase
{
    private static readonly IReadOnlyList<SeriesSpec> TrafficSeries =
    [
        new("Throughput", p => p.EventsPerSecond, Charts.Current, Fill: true),
        new("Error rate", p => p.ErrorRate, Charts.Bad, SecondaryAxis: true),
    ];

    /// <summary>The axis uses the tile's unit: GB once memory passes a gigabyte.</summary>
    private string MemoryUnit => Format.MemoryUnit(Sys.MemoryMb);

    private IReadOnlyList<SeriesSpec> SystemSeries
    {
        get
        {
            var gb = MemoryUnit == "GB";
            List<SeriesSpec> series = [new("CPU %", p => p.CpuPercent, Charts.Palette[0])];
            if (Sys.GpuPercent is not null) series.Add(new("GPU %", p => p.GpuPercent, Charts.Palette[3]));
            series.Add(new($"Memory {MemoryUnit}", p => gb ? p.MemoryMb / 1024 : p.MemoryMb, Charts.Palette[1], Dashed: true, SecondaryAxis: true));
            return series;
        }
    }

    private LatencySummary L => Summary.Latency;
    private SystemSummary Sys => Summary.System;
    private FleetStat LatencyStat => FleetCards.Latency(L);
    private FleetStat ErrorStat => FleetCards.Errors(Summary.Traffic);
    private string SloText => L.SloMs is { } slo ? $"SLO {Format.Ms(slo)}{(L.SloBreached == true ? " — breached" : "")}" : "no SLO set";

    private IReadOnlyList<SeriesSpec> LatencySeries
    {
        get
        {
            List<SeriesSpec> series =
            [
                new("p50", p => p.P50, Charts.Palette[1]),
                new("p95", p => p.P95, Charts.Current, Primary: true),
                new("p99", p => p.P99, Charts.Palette[3]),
            ];
            if (L.SloMs is { } slo) series.Add(new("SLO", _ => slo, Charts.Bad, Dashed: true));
            return series;
        }
    }
}
