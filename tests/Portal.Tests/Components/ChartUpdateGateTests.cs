using Microsoft.JSInterop;
using ModelWatch.Portal.Components.Shared;

namespace ModelWatch.Portal.Tests.Components;

public class ChartUpdateGateTests
{
    [Fact]
    public async Task Updates_while_a_call_is_in_flight_are_folded_into_one_catch_up()
    {
        var gate = new ChartUpdateGate();
        var browser = new TaskCompletionSource();
        var calls = 0;
        var catchUps = 0;

        var first = gate.RunAsync(() => { calls++; return browser.Task; }, () => catchUps++);
        await gate.RunAsync(() => { calls++; return Task.CompletedTask; }, () => catchUps++);
        await gate.RunAsync(() => { calls++; return Task.CompletedTask; }, () => catchUps++);

        Assert.Equal(1, calls); // nothing queued behind the slow browser
        browser.SetResult();
        await first;
        Assert.Equal(1, catchUps); // one more render sends everything skipped

        await gate.RunAsync(() => { calls++; return Task.CompletedTask; }, () => catchUps++);
        Assert.Equal(2, calls);
        Assert.Equal(1, catchUps);
    }

    [Fact]
    public async Task A_closed_page_ends_the_call_quietly()
    {
        var gate = new ChartUpdateGate();
        var calls = 0;
        var catchUps = 0;

        var closed = await Record.ExceptionAsync(() => gate.RunAsync(() => throw new JSDisconnectedException("gone"), () => catchUps++));
        await gate.RunAsync(() => { calls++; return Task.CompletedTask; }, () => catchUps++);

        Assert.Null(closed); // a page that went away is not an error for the caller
        Assert.Equal(1, calls); // and the gate is not left busy: the next update runs
        Assert.Equal(0, catchUps);
    }
}
