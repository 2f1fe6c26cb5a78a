/* The comparison's charts: every force's rate as sorted bars, and the
 * funnel plot. charts.js fetches each chart's JSON and hands a payload with a
 * "type" to the drawer registered here. Colours are the stylesheet's
 * (--chart-<role>); each force picked out also carries a label and a pattern
 * of its own, so colour is never the only cue.
 */
(function () {
  "use strict";

  function colour(container, name) {
    return window.getComputedStyle(container).getPropertyValue("--chart-" + name).trim();
  }

  /* Diagonal stripes over a colour: the group's bars are told apart by their
   * pattern as well as their colour. */
  function stripes(fill, line) {
    var tile = document.createElement("canvas");
    tile.width = tile.height = 8;
    var context = tile.getContext("2d");
    context.fillStyle = fill;
    context.fillRect(0, 0, 8, 8);
    context.strokeStyle = line;
    context.lineWidth = 2;
    context.beginPath();
    context.moveTo(0, 8); context.lineTo(8, 0);
    context.moveTo(-2, 2); context.lineTo(2, -2);
    context.moveTo(6, 10); context.lineTo(10, 6);
    context.stroke();
    return context.createPattern(tile, "repeat");
  }

  function numberFormat(places) {
    return new Intl.NumberFormat("en-GB", { minimumFractionDigits: places, maximumFractionDigits: places });
  }

  var DASH = { "national": [8, 4], "group-average": [2, 3], "limit-95": [6, 3], "limit-998": [] };

  function bar(container, payload) {
    var format = numberFormat(payload.decimal_places);
    var text = colour(container, "text");
    var muted = colour(container, "muted");
    var groupFill = stripes(colour(container, "bar-group"), colour(container, "bar-focus"));
    var fills = payload.roles.map(function (role) {
      return role === "group" ? groupFill : colour(container, "bar-" + role);
    });
    var borders = payload.roles.map(function (role) { return role === "force" ? 0 : 1; });
    var datasets = [{
      type: "bar", label: payload.x_label, data: payload.values,
      backgroundColor: fills, borderColor: text, borderWidth: borders, order: 2
    }];
    payload.lines.forEach(function (line) {
      datasets.push({
        type: "line", label: line.label + ": " + format.format(line.value),
        data: payload.values.map(function () { return line.value; }),
        borderColor: colour(container, line.role), borderDash: DASH[line.role] || [],
        borderWidth: 2, pointRadius: 0, order: 1
      });
    });
    container.hidden = false;
    var chart = new window.Chart(container.querySelector("canvas"), {
      data: { labels: payload.labels, datasets: datasets },
      options: {
        indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {
          legend: { position: "top", labels: { color: text, filter: function (item) { return item.datasetIndex > 0; } } },
          tooltip: { callbacks: { label: function (item) { return format.format(item.parsed.x); } } }
        },
        scales: {
          x: { beginAtZero: true, title: { display: true, text: payload.x_label, color: muted }, ticks: { color: muted } },
          y: { ticks: { color: text, autoSkip: false, font: { size: 11 } } }
        }
      }
    });
    container.setAttribute("data-chart-ready", "true");
    return chart;
  }

  var POINT_STYLE = { focus: "rectRot", group: "triangle", force: "circle" };
  var POINT_SIZE = { focus: 8, group: 6, force: 4 };

  function funnel(container, payload) {
    var format = numberFormat(payload.decimal_places);
    var text = colour(container, "text");
    var muted = colour(container, "muted");
    var datasets = [];
    ["focus", "group", "force"].forEach(function (role) {
      var points = payload.points.filter(function (p) { return p.role === role; });
      if (!points.length) { return; }
      datasets.push({
        type: "scatter", label: role === "focus" ? points[0].label : payload.legend[role],
        data: points, pointStyle: POINT_STYLE[role], pointRadius: POINT_SIZE[role],
        backgroundColor: colour(container, "bar-" + role), borderColor: text, borderWidth: 1
      });
    });
    payload.limits.forEach(function (limit) {
      [limit.upper, limit.lower].forEach(function (points, index) {
        datasets.push({
          type: "line", label: limit.label, data: points, showLine: true, pointRadius: 0, pointStyle: "line",
          borderColor: colour(container, limit.role), borderDash: DASH[limit.role], borderWidth: 1.5,
          legendHidden: index === 1
        });
      });
    });
    var ends = payload.limits[0].upper;
    datasets.push({
      type: "line", label: payload.target.label, showLine: true, pointRadius: 0, pointStyle: "line", borderWidth: 2,
      borderColor: colour(container, "national"), borderDash: DASH.national,
      data: [{ x: ends[0].x, y: payload.target.y }, { x: ends[ends.length - 1].x, y: payload.target.y }]
    });
    container.hidden = false;
    var chart = new window.Chart(container.querySelector("canvas"), {
      data: { datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {
          legend: { position: "bottom", labels: { usePointStyle: true, color: text, filter: function (item, data) { return !data.datasets[item.datasetIndex].legendHidden; } } },
          tooltip: { callbacks: { label: function (item) {
            var raw = item.raw;
            return (raw.label ? raw.label + ": " : item.dataset.label + ": ") + format.format(raw.y);
          } } }
        },
        scales: {
          x: { type: "logarithmic", title: { display: true, text: payload.x_label, color: muted },
               ticks: { color: muted, callback: function (value) { return new Intl.NumberFormat("en-GB", { notation: "compact" }).format(value); } } },
          y: { beginAtZero: true, title: { display: true, text: payload.y_label, color: muted }, ticks: { color: muted } }
        }
      }
    });
    container.setAttribute("data-chart-ready", "true");
    return chart;
  }

  window.policingCharts = { bar: bar, funnel: funnel };
})();
