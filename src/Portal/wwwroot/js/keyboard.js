// Keyboard use of tab strips (WAI-ARIA tabs pattern): arrow keys, Home and End move to a tab and open it, and the
// selected tab is scrolled into view when the strip is narrower than its tabs. Plain DOM: the tabs are links that
// Blazor already handles on click, so no interop call and no per-page component is needed.
window.modelWatchKeyboard = {
    // FocusOnPageChange: the new page's heading, for screen readers; preventScroll keeps the page at its top.
    focus: function (selector) {
        const element = document.querySelector(selector);
        if (element) { if (!element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1"); element.focus({ preventScroll: true }); }
    }
};

(function () {
    document.addEventListener("keydown", function (e) {
        const tab = e.target instanceof Element ? e.target.closest("[role=tab]") : null;
        const list = tab ? tab.closest("[role=tablist]") : null;
        if (!list || e.altKey || e.ctrlKey || e.metaKey) return;
        const tabs = Array.from(list.querySelectorAll("[role=tab]"));
        const at = tabs.indexOf(tab);
        const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[e.key];
        if (next === undefined) return;
        e.preventDefault();
        const target = tabs[(next + tabs.length) % tabs.length];
        target.focus();
        target.click();
    });

    function reveal(root) {
        for (const selected of root.querySelectorAll("[role=tab][aria-selected=true]"))
            selected.scrollIntoView({ block: "nearest", inline: "nearest" });
    }

    new MutationObserver(function (changes) {
        for (const change of changes) {
            const t = change.target;
            if (t instanceof Element && t.getAttribute("role") === "tab" && t.getAttribute("aria-selected") === "true") t.scrollIntoView({ block: "nearest", inline: "nearest" });
            else if (change.type === "childList") for (const n of change.addedNodes) if (n instanceof Element && n.querySelector) reveal(n);
        }
    }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-selected"] });

    // The skip link: Blazor's router takes same-page #fragment links and only scrolls; move the keyboard focus as well.
    document.addEventListener("click", function (e) {
        const link = e.target instanceof Element ? e.target.closest("a.skip-link") : null;
        if (!link) return;
        const main = document.getElementById("main-content");
        if (main) { e.preventDefault(); main.focus(); main.scrollIntoView({ block: "start" }); }
    });
})();
