// Drives the reconnect banner (#components-reconnect-modal). Blazor retries by itself; when it gives up we keep
// retrying whenever the tab is visible, and resume the circuit (or reload as a last resort) if the server forgot it.
const banner = document.getElementById("components-reconnect-modal");
banner.addEventListener("components-reconnect-state-changed", onStateChanged);
document.getElementById("components-reconnect-button").addEventListener("click", retry);
document.getElementById("components-resume-button").addEventListener("click", resume);

let retryTimer = null;

function onStateChanged(event) {
    const state = event.detail.state;
    if (state === "show" || state === "retrying" || state === "paused" || state === "resume-failed") {
        if (!banner.open) banner.show();
    } else if (state === "hide") {
        banner.close();
        clearInterval(retryTimer);
        retryTimer = null;
    } else if (state === "failed") {
        if (!banner.open) banner.show();
        document.addEventListener("visibilitychange", retryWhenVisible);
        if (!retryTimer) retryTimer = setInterval(retryWhenVisible, 5000);
    } else if (state === "rejected") {
        resume();
    }
}

async function retry() {
    try {
        const reconnected = await Blazor.reconnect();
        if (!reconnected) await resume();
        else { banner.close(); clearInterval(retryTimer); retryTimer = null; }
    } catch {
        // The server is still unreachable; the interval tries again.
    }
}

async function resume() {
    try {
        if (await Blazor.resumeCircuit()) banner.close();
        else location.reload();
    } catch {
        banner.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
    }
}

async function retryWhenVisible() {
    if (document.visibilityState === "visible") await retry();
}
