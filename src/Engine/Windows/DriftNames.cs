using ModelWatch.Engine.Statistics.Drift;

namespace ModelWatch.Engine.Windows;

/// <summary>The method names the API and panels show, as Evidently users know them.</summary>
public static class DriftNames
{
    public static string Of(DriftMethod method) => method switch
    {
        DriftMethod.KolmogorovSmirnov => "ks",
        DriftMethod.WassersteinNormalized => "wassersteinNormalized",
        DriftMethod.ChiSquare => "chiSquare",
        _ => "jensenShannon",
    };
}
