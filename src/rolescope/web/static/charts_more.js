/* Draws the "trend-chart" kind with plotly.js: a skill's share of a role's postings per quarter, with
   its 95% interval as a band. Registers itself in window.rolescopeCharts.kinds (charts.js keeps its
   own kinds private, so this file finds and draws its elements itself). The table beside every chart
   holds the same figures, so nothing is lost without JavaScript. Also moves focus to a swapped-in
   element marked data-focus-on-swap (the quiz results), so keyboard and screen-reader users land on it. */
(function () {
  "use strict";
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  var config = {responsive: true, displaylogo: false, displayModeBar: false};
  function pct(v) { return (v * 100).toFixed(1) + "%"; }
  function trend(el, c) {
    // Quarters on a date axis (first day of each), so a quarter without postings shows as a gap in time
    // and plotly thins the ticks to fit a phone.
    var x = c.periods.map(function (p) {
      var m = /^(\d{4})Q([1-4])$/.exec(p);
      return m ? m[1] + "-" + ("0" + (3 * m[2] - 2)).slice(-2) + "-01" : p;
    });
    var text = c.periods.map(function (p, i) {
      return p + ": " + pct(c.share[i]) + " [" + pct(c.low[i]) + "–" + pct(c.high[i]) + "], " + c.k[i] + " of " + c.n[i];
    });
    var high = {x: x, y: c.high, type: "scatter", mode: "lines", line: {width: 0}, showlegend: false, hoverinfo: "skip"};
    var low = {x: x, y: c.low, type: "scatter", mode: "lines", fill: "tonexty", fillcolor: "rgba(0,114,178,0.2)",
      line: {width: 0}, name: "95% interval", hoverinfo: "skip"};
    var share = {x: x, y: c.share, type: "scatter", mode: "lines+markers", name: "share of postings",
      line: {color: "#0072B2", width: 2},
      marker: {size: 9, color: "#0072B2", line: {color: "#0072B2", width: 2},
               symbol: c.n.map(function (n) { return n < c.small_n ? "circle-open" : "circle"; })},
      text: text, hovertemplate: "%{text}<extra></extra>"};
    var layout = {font: {family: FONT, size: 13}, margin: {l: 55, r: 10, t: 10, b: 50}, height: 320,
      xaxis: {type: "date", automargin: true, hoverformat: "%Y-%m"},
      yaxis: {tickformat: ".0%", rangemode: "tozero", range: [0, Math.min(1, Math.max.apply(null, c.high) * 1.1 || 1)],
              title: {text: "Share of postings"}},
      legend: {orientation: "h", y: -0.18}, hovermode: "closest"};
    return Plotly.newPlot(el, [high, low, share], layout, config);
  }
  var registry = window.rolescopeCharts = window.rolescopeCharts || {};
  registry.kinds = registry.kinds || {};
  registry.kinds["trend-chart"] = trend;
  function drawMore(root) {
    if (typeof Plotly === "undefined") { return; }
    (root || document).querySelectorAll('[data-kind="trend-chart"][data-chart]').forEach(function (el) {
      if (el.getAttribute("data-drawn")) { return; }
      var figure = el.closest("figure");
      try {
        if (figure) { figure.hidden = false; }  // hidden without scripts: an empty box helps nobody
        trend(el, JSON.parse(el.getAttribute("data-chart")));
        el.setAttribute("data-drawn", "1");
      } catch (err) {
        if (figure) { figure.hidden = true; }
        el.setAttribute("data-error", String(err && err.message || err));
      }
    });
  }
  registry.drawMore = drawMore;
  document.addEventListener("DOMContentLoaded", function () { drawMore(document); });
  document.addEventListener("htmx:afterSwap", function (e) { drawMore(e.target); });
  document.addEventListener("htmx:afterSettle", function () {
    var focus = document.querySelector("[data-focus-on-swap]:not([data-focused])");
    if (focus) { focus.setAttribute("data-focused", "1"); focus.focus(); }
  });
})();
