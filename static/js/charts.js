/* Starts every chart on the page from its data- attributes.
 *
 * Each chart's container carries data-chart-url, the address of its JSON
 * (built by the server with {% url %}). The container starts hidden, so that
 * without JavaScript the page shows only the table, which holds the same
 * figures; it is shown once the chart is drawn. A drawn chart's container is
 * marked data-chart-ready, one that will not be drawn data-chart-failed, so
 * that whoever reads the page (a test, a script) knows when it has settled.
 * No inline script or style.
 */
(function () {
  "use strict";

  var UNIT_SUFFIX = {
    "percentage": "%",
    "rate-per-1000": " per 1,000 people",
    "rate-per-100000": " per 100,000 people"
  };

  function formatter(unit, places) {
    var number = new Intl.NumberFormat("en-GB", {
      minimumFractionDigits: places,
      maximumFractionDigits: places
    });
    return function (value) {
      return number.format(value) + (UNIT_SUFFIX[unit] || "");
    };
  }

  function shortLabel(label) {
    return label.replace(/^12 months to /, "").replace(/^([A-Z][a-z]{2})[a-z]* /, "$1 ");
  }

  /* A colour of the stylesheet's: --chart-<name>. */
  function colour(container, name) {
    return window.getComputedStyle(container).getPropertyValue("--chart-" + name).trim();
  }

  /* The figures of the 95% confidence interval at one point, "40.1 to 44.3". */
  function intervalText(chart, index, format) {
    var lower = null;
    var upper = null;
    chart.data.datasets.forEach(function (dataset) {
      if (dataset.role === "interval-lower") { lower = dataset.data[index]; }
      if (dataset.role === "interval") { upper = dataset.data[index]; }
    });
    return lower === null || upper === null ? "" : format(lower) + " to " + format(upper);
  }

  /* Roles drawn in another role's colour: the two edges of one band, the two
     process limits of an XmR chart, its special-cause marks. */
  var COLOUR_OF = {
    "interval-lower": "interval",
    "upper-limit": "process-limit",
    "lower-limit": "process-limit",
    "special-improving": "improving",
    "special-concerning": "concerning"
  };

  function colourDatasets(container, datasets, areaRole) {
    datasets.forEach(function (dataset) {
      var role = COLOUR_OF[dataset.role] || dataset.role;
      if (role === "local" && areaRole) {
        role = areaRole;
      }
      dataset.borderColor = dataset.backgroundColor = colour(container, role);
      /* A series break: the server leaves a null point (a gap, as spanGaps
         is false for the area's line) and marks the first figure after it
         with a cross, drawn larger so that it stands out. */
      if (Array.isArray(dataset.pointStyle)) {
        dataset.pointRadius = dataset.pointStyle.map(function (style) {
          return style === "crossRot" ? 7 : 3;
        });
      }
    });
  }

  /* Text that reads on a phone: 13 px labels, 12 px at the least. */
  var FONT = { size: 13 };
  var SMALL_FONT = { size: 12 };

  function draw(container, payload) {
    var canvas = container.querySelector("canvas");
    var text = colour(container, "text");
    var muted = colour(container, "muted");
    colourDatasets(container, payload.datasets, payload.area_role);
    var format = formatter(payload.unit, payload.decimal_places);
    var axisNumber = new Intl.NumberFormat("en-GB");
    /* The tick labels carry the unit where it is short: "40%". */
    var tickSuffix = payload.unit === "percentage" ? "%" : "";
    var rolling = payload.labels.length > 0 && payload.labels[0].indexOf("12 months to ") === 0;
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    container.hidden = false;
    var chart = new window.Chart(canvas, {
      type: "line",
      data: { labels: payload.labels, datasets: payload.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: still ? false : { duration: 400 },
        interaction: { mode: "index", intersect: false },
        font: FONT,
        plugins: {
          legend: {
            position: "bottom",
            labels: {
              usePointStyle: true,
              color: text,
              font: FONT,
              /* The interval's lower bound is half of one band: one entry. */
              filter: function (item, data) {
                return data.datasets[item.datasetIndex].role !== "interval-lower";
              }
            }
          },
          tooltip: {
            titleFont: FONT,
            bodyFont: FONT,
            filter: function (item) { return item.dataset.role !== "interval-lower"; },
            callbacks: {
              label: function (item) {
                if (item.dataset.role === "interval") {
                  return item.dataset.label + ": " + intervalText(item.chart, item.dataIndex, format);
                }
                /* The figure itself is the area's line: its mark says only what it is. */
                if (item.dataset.role.indexOf("special-") === 0) {
                  return item.dataset.label;
                }
                return item.dataset.label + ": " + format(item.parsed.y);
              }
            }
          }
        },
        scales: {
          x: {
            ticks: {
              color: muted,
              font: SMALL_FONT,
              maxRotation: 45,
              autoSkip: true,
              // "12 months to June 2024" reads "Jun 2024" under the axis titled
              // "12 months to"; tooltips and the table keep the full labels.
              callback: function (value) { return shortLabel(this.getLabelForValue(value)); }
            },
            title: { display: rolling, text: "12 months to", color: muted, font: SMALL_FONT }
          },
          y: {
            beginAtZero: payload.unit !== "percentage",
            title: { display: true, text: payload.y_label, color: muted, font: SMALL_FONT },
            ticks: {
              color: muted,
              font: SMALL_FONT,
              callback: function (value) { return axisNumber.format(value) + tickSuffix; }
            }
          }
        }
      }
    });
    container.setAttribute("data-chart-ready", "true");
    return chart;
  }

  function start(container) {
    var url = container.getAttribute("data-chart-url");
    if (!url || !window.Chart || !window.fetch) {
      container.setAttribute("data-chart-failed", "true");
      return;
    }
    window.fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("Chart data could not be loaded: " + response.status);
        }
        return response.json();
      })
      .then(function (payload) {
        /* Charts of other kinds (compare-charts.js) register a drawer by type. */
        var drawers = window.policingCharts || {};
        (payload.type && drawers[payload.type] ? drawers[payload.type] : draw)(container, payload);
      })
      .catch(function () {
        /* The table below already holds every figure: leave the chart hidden. */
        container.hidden = true;
        container.setAttribute("data-chart-failed", "true");
      });
  }

  function startAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart-url]"), start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
