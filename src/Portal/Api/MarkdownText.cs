using System.Text;

namespace ModelWatch.Portal.Api;

/// <summary>
/// Makes user-supplied text inert in Markdown: HTML is entity-encoded (no &lt;img onerror&gt; when a viewer renders
/// the card), Markdown syntax is backslash-escaped (no injected links, images or tables) and line breaks become spaces.
/// </summary>
public static class MarkdownText
{
    private const string Syntax = "\\`*_[]|~";

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var s = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<': s.Append("&lt;"); break;
                case '>': s.Append("&gt;"); break;
                case '&': s.Append("&amp;"); break;
                case '"': s.Append("&quot;"); break;
                case '\r' or '\n' or '\t': s.Append(' '); break;
                default:
                    if (Syntax.Contains(c)) s.Append('\\');
                    s.Append(c);
                    break;
            }
        }
        return s.ToString();
    }
}
