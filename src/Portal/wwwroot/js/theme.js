// Remembers the light/dark choice in a cookie, so the server renders the next page load in the same theme (no flash).
window.modelWatchTheme = {
    save: function (dark) {
        document.cookie = "mw-theme=" + (dark ? "dark" : "light") + "; path=/; max-age=31536000; samesite=lax";
    }
};
