using System.Text.RegularExpressions;

namespace ModelWatch.Engine.Registry;

/// <summary>
/// Versions are addressed as one URL path segment (/models/{id}/versions/{version}/reference), so they may not hold
/// '/', '?', '%', spaces or a leading '.' (".." would be folded away by the router).
/// </summary>
public static partial class VersionName
{
    public const int MaxLength = 64;

    public const string Rule = "1 to 64 characters: letters, digits, '.', '-', '_' and '+', starting with a letter or digit, e.g. \"1.3.0\" or \"2026-11-23_rc1\"";

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    /// <summary>A sent value fit to quote back in an error message.</summary>
    public static string Quote(string value) => value.Length <= MaxLength ? $"'{value}'" : $"'{value[..MaxLength]}…' ({value.Length} characters)";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
