/* Draws the charts of rolescope pages with plotly.js from JSON in data-chart attributes.
   Kinds: salary ranges (p10-p90 bars with medians and intervals) and growth fans. Tables beside
   every chart carry the same figures, so nothing is lost without JavaScript. */
(function () {
  "use strict";
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  var config = {responsive: true, displaylogo: false, displayModeBar: false};
  function usd(v) { return "$" + Math.round(v).toLocaleString("en-US"); }
  function salary(el, c) {
    var base = c.p10, span = c.p90.map(function (v, i) { return v - c.p10[i]; });
    var range = {type: "bar", orientation: "h", y: c.labels, x: span, base: base, name: "P10–P90",
      marker: {color: "rgba(0,114,178,0.25)"}, hovertemplate: "%{y}<br>P10–P90 %{base:$,.0f}–%{customdata:$,.0f}<extra></extra>",
      customdata: c.p90};
    var med = {type: "scatter", mode: "markers", orientation: "h", y: c.labels, x: c.median, name: "median [95%]",
      marker: {color: c.shrunk.map(function (s) { return s ? "#C2410C" : "#0072B2"; }), size: 10},
      error_x: {type: "data", symmetric: false, array: c.high.map(function (v, i) { return v - c.median[i]; }),
                arrayminus: c.median.map(function (v, i) { return v - c.low[i]; }), color: "#1f2937"},
      hovertemplate: "%{y}<br>median %{x:$,.0f}<extra></extra>"};
    var height = 130 + 40 * c.labels.length;
    el.style.height = height + "px";
    var layout = {font: {family: FONT, size: 13}, barmode: "overlay", margin: {l: 10, r: 10, t: 30, b: 50},
      xaxis: {tickprefix: "$", separatethousands: true, title: {text: "Base pay, USD a year"}, automargin: true},
      yaxis: {automargin: true, autorange: "reversed"}, showlegend: true,
      legend: {orientation: "h", x: 0, y: 1.02, yanchor: "bottom"}, height: height};
    return Plotly.newPlot(el, [range, med], layout, config);
  }
  function growth(el, c) {
    var years = c.years.map(function (y) { return "Year " + y; });
    var p90 = {x: years, y: c.p90, type: "scatter", mode: "lines", line: {width: 0}, showlegend: false, hoverinfo: "skip"};
    var p10 = {x: years, y: c.p10, type: "scatter", mode: "lines", fill: "tonexty", fillcolor: "rgba(0,114,178,0.2)",
      line: {width: 0}, name: "P10–P90", hovertemplate: "P10 %{y:$,.0f}<extra></extra>"};
    var p50 = {x: years, y: c.p50, type: "scatter", mode: "lines+markers", line: {color: "#0072B2", width: 3},
      name: "median (P50)", hovertemplate: "P50 %{y:$,.0f}<extra></extra>"};
    el.style.height = "340px";
    var layout = {font: {family: FONT, size: 13}, margin: {l: 70, r: 10, t: 30, b: 40}, height: 340,
      yaxis: {tickprefix: "$", separatethousands: true, title: {text: "Base pay, USD a year"}, automargin: true},
      legend: {orientation: "h", x: 0, y: 1.02, yanchor: "bottom"}};
    return Plotly.newPlot(el, [p90, p10, p50], layout, config);
  }
  var kinds = {"salary-chart": salary, "growth-chart": growth};
  function drawAll(root) {
    if (typeof Plotly === "undefined") { return; }
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      var draw = kinds[el.getAttribute("data-kind") || el.id];
      if (!draw || el.getAttribute("data-drawn")) { return; }
      draw(el, JSON.parse(el.getAttribute("data-chart")));
      el.setAttribute("data-drawn", "1");
    });
  }
  window.rolescopeCharts = {drawAll: drawAll, kinds: kinds};
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // After the swapped content settles: drawn on afterSwap, plotly sometimes measured the old layout
  // and put the legend and axis title below the chart.
  document.addEventListener("htmx:afterSettle", function (e) { drawAll(e.target); });
})();
