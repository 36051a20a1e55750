using System.Globalization;
using System.Text.RegularExpressions;

namespace ModelWatch.Engine.Storage;

/// <summary>Reads the numbered NNNN_name.sql files embedded from one folder of the Engine (one folder per provider).</summary>
internal static partial class EmbeddedMigrations
{
    /// <param name="folder">The folder as a resource prefix, e.g. "Storage.Migrations" or "Storage.Postgres.Migrations".</param>
    public static List<Migration> Load(string folder)
    {
        var assembly = typeof(EmbeddedMigrations).Assembly;
        var prefix = "ModelWatch.Engine." + folder + ".";
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var match = MigrationName().Match(resource[prefix.Length..]);
            if (!match.Success) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add(new Migration(int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value, reader.ReadToEnd()));
        }
        list.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Version != i + 1) throw new InvalidOperationException($"Migrations in {folder} must be numbered 1..n without gaps; found {list[i].Version} at position {i + 1}.");
        }
        return list;
    }

    [GeneratedRegex(@"^(?<n>\d{4})_(?<name>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex MigrationName();
}
