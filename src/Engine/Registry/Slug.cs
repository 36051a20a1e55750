using System.Text.RegularExpressions;

namespace ModelWatch.Engine.Registry;

/// <summary>Ids of teams and models appear in URLs, so they are lower-case slugs.</summary>
public static partial class Slug
{
    public const string Rule = "2 to 64 characters: lower-case letters, digits and '-', starting with a letter or digit";

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$")]
    private static partial Regex Pattern();
}
