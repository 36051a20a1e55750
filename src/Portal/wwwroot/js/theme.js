// Remembers the light/dark choice in a cookie, so the server renders the next page load in the same theme (no flash).
window.modelWatchTheme = {
    save: function (dark) {
        document.cookie = "mw-theme=" + (dark ? "dark" : "light") + "; path=/; max-age=31536000; samesite=lax";
    }
};

// Remembers the quality/operations view a user picked, read by the server on the next page load.
window.modelWatchView = {
    save: function (view) {
        document.cookie = "mw-view=" + (view === "operations" ? "operations" : "quality") + "; path=/; max-age=31536000; samesite=lax";
    }
};
