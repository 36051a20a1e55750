// Draws Plotly charts from JSON strings. The server serialises each chart once with one process-wide serializer and
// hands over a string: Blazor's per-circuit interop serializer then never builds metadata for Plotly's object model,
// which cost a few hundred KB in every open page. Plotly is loaded globally by App.razor.
export function draw(element, json) {
    if (!element) return;
    const spec = JSON.parse(json);
    return Plotly.react(element, spec.data, spec.layout, spec.config).then(() => untab(element));
}

export function extend(element, json, max) {
    if (!element || !element.data) return; // not drawn yet: the next draw includes these points
    const update = JSON.parse(json);
    return Plotly.extendTraces(element, { x: update.x, y: update.y }, update.indices, max).then(() => undefined);
}

export function purge(element) {
    if (element) Plotly.purge(element);
}

// Plotly's toolbar buttons (and its legend toggles) are mouse tools: keep them out of the keyboard's tab order,
// which otherwise crosses about 26 of them per page between the tabs and the tables.
function untab(element) {
    for (const control of element.querySelectorAll("a[href], button, input, [tabindex]")) control.setAttribute("tabindex", "-1");
}

// Reports a click on a heatmap cell to its component: the cell's row (y) and column (x) as Plotly has them.
export function listenForCells(element, component) {
    if (!element || !element.on) return;
    element.removeAllListeners?.('plotly_click');
    element.on('plotly_click', event => {
        const point = event.points && event.points[0];
        if (point) component.invokeMethodAsync('CellClicked', point.pointNumber[0], point.pointNumber[1]);
    });
}

// Reports a drag-to-zoom on a time chart (Plotly's relayout with an x range) to its component as two date strings.
export function listenForZoom(element, component) {
    if (!element || !element.on) return;
    element.removeAllListeners?.('plotly_relayout');
    element.on('plotly_relayout', event => {
        const from = event['xaxis.range[0]'] ?? (event['xaxis.range'] && event['xaxis.range'][0]);
        const to = event['xaxis.range[1]'] ?? (event['xaxis.range'] && event['xaxis.range'][1]);
        if (from && to) component.invokeMethodAsync('Zoomed', String(from), String(to));
    });
}
