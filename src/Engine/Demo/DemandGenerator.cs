namespace ModelWatch.Engine.Demo;

/// <summary>Daily unit sales per store: a store's base volume scaled by weekday, promotion, holiday, weather and price.</summary>
internal sealed class DemandGenerator : EventGenerator
{
    public static readonly string[] Stores = ["S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08", "S09", "S10", "S11", "S12"];
    private static readonly double[] StoreBase = [120, 180, 240, 300, 360, 420, 480, 560, 640, 720, 810, 900];
    public static readonly string[] Days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    private static readonly double[] DayFactor = [0.90, 0.90, 0.95, 1.00, 1.15, 1.30, 0.80];
    public static readonly string[] YesNo = ["yes", "no"];

    public override DemoDraw Draw(Random random, bool latestVersion, DemoConditions conditions)
    {
        var store = random.Next(Stores.Length);
        var day = random.Next(Days.Length);
        var promo = random.Chance(0.2);
        var holiday = random.Chance(0.04);
        var temperature = DemoRandom.Clamp(random.Normal(14, 8), -20, 45);
        var price = DemoRandom.Clamp(random.Normal(12, 3), 1, 50);
        var lastWeek = Math.Round(StoreBase[store] * DayFactor[day] * random.LogNormal(1, 0.15));

        var expected = StoreBase[store] * DayFactor[day]
            * (promo ? 1.35 : 1) * (holiday ? 1.25 : 1)
            * (1 + 0.008 * (temperature - 14))
            * Math.Pow(12 / price, 0.6);
        var units = Math.Round(expected * random.LogNormal(1, 0.12));
        var forecast = expected * random.LogNormal(1, latestVersion ? 0.05 : 0.10);

        return new DemoDraw(
        [
            F("store_id", Stores[store]),
            F("day_of_week", Days[day]),
            F("promo", YesNo[promo ? 0 : 1]),
            F("holiday", YesNo[holiday ? 0 : 1]),
            F("temperature_c", temperature, 1),
            F("shelf_price", price),
            F("last_week_units", lastWeek, 0),
        ], Math.Round(forecast, 1), units);
    }
}
