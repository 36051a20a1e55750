namespace ModelWatch.Engine.Registry;

public enum ModelTask { BinaryClassification, MulticlassClassification, Regression }

public static class ModelTaskNames
{
    public const string Binary = "binary-classification";
    public const string Multiclass = "multiclass-classification";
    public const string Regression = "regression";

    public static string ToName(this ModelTask task) => task switch
    {
        ModelTask.BinaryClassification => Binary,
        ModelTask.MulticlassClassification => Multiclass,
        _ => Regression,
    };

    public static bool TryParse(string? name, out ModelTask task)
    {
        switch (name)
        {
            case Binary: task = ModelTask.BinaryClassification; return true;
            case Multiclass: task = ModelTask.MulticlassClassification; return true;
            case Regression: task = ModelTask.Regression; return true;
            default: task = default; return false;
        }
    }
}
