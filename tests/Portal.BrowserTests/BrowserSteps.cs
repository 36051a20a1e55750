using Microsoft.Playwright;

namespace ModelWatch.Portal.BrowserTests;

/// <summary>What the governance browser tests do again and again: open a page and wait for its circuit, type into a MudTextField, check for sideways scrolling.</summary>
public static class BrowserSteps
{
    /// <summary>Goes to the URL, waits for what the page shows when ready and for the circuit, so clicks reach the server.</summary>
    public static async Task OpenAsync(this IPage page, string url, string readySelector)
    {
        await page.GotoAsync(url);
        await page.WaitForSelectorAsync(readySelector, new() { Timeout = 30_000 });
        await PortalFixture.WaitForInteractiveAsync(page);
    }

    /// <summary>A MudTextField's input: its data-testid lands on the input itself or on a wrapper around it.</summary>
    public static ILocator Field(this IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").First;

    /// <summary>Types a value and leaves the field, so MudBlazor's change event (not only input) reaches the circuit.</summary>
    public static async Task EnterAsync(this IPage page, string testId, string value)
    {
        var field = page.Field(testId);
        await field.FillAsync(value);
        await field.PressAsync("Tab");
    }

    /// <summary>Elements wider than their box: the document itself, or any table container that would show a sideways scrollbar.</summary>
    public static Task<string[]> SidewaysScrollersAsync(this IPage page) => page.EvaluateAsync<string[]>("""
        () => {
            const found = [];
            if (document.documentElement.scrollWidth > window.innerWidth + 1) found.push('document ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth);
            for (const c of document.querySelectorAll('.mud-table-container, .mud-simple-table > div, table'))
                if (c.scrollWidth > c.clientWidth + 1 && getComputedStyle(c).overflowX !== 'visible')
                    found.push((c.closest('[data-testid]')?.dataset.testid ?? c.className) + ' ' + c.scrollWidth + ' > ' + c.clientWidth);
            return found;
        }
        """);

    /// <summary>Visible text of every cell of a table column, by its mobile data-label (MudTd DataLabel).</summary>
    public static async Task<IReadOnlyList<string>> ColumnAsync(this IPage page, string tableTestId, string label) =>
        (await page.Locator($"[data-testid={tableTestId}] tbody td[data-label='{label}']").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();
}
