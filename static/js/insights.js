// /desk/insights/: draws the charts from the numbers the page carries in
// <script type="application/json" id="insights-data"> (json_script). Chart.js is served
// from static/vendor/chartjs/ (docs/insights.md). Without JavaScript the table below
// the charts has every number.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("insights-data");
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var Chart = window.Chart;
    var styles = getComputedStyle(document.documentElement);
    var ink = styles.getPropertyValue("--muted").trim() || "#5b6472";
    Chart.defaults.color = ink;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.animation = false;
    Chart.defaults.plugins.legend.position = "bottom";
    Chart.defaults.plugins.legend.labels.boxWidth = 10;
    Chart.defaults.plugins.legend.labels.usePointStyle = true;
    Chart.defaults.plugins.legend.labels.boxHeight = 8;

    var blue = "#2563eb", teal = "#0d9488", amber = "#d97706", violet = "#7c3aed", slate = "#94a3b8";
    var labels = data.weeks.map(function (w) {
      var d = new Date(w + "T00:00:00");
      return d.toLocaleDateString(undefined, { day: "numeric", month: "short" });
    });

    function line(id, sets, unit, max) {
      var el = document.getElementById(id);
      if (!el) return;
      new Chart(el, {
        type: "line",
        data: {
          labels: labels,
          datasets: sets.map(function (s) {
            return { label: s.label, data: s.data, borderColor: s.color, backgroundColor: s.color,
                     borderDash: s.dash || [], spanGaps: true, tension: 0.25, pointRadius: 3,
                     pointStyle: "circle" };
          })
        },
        options: {
          interaction: { mode: "index", intersect: false },
          scales: { y: { beginAtZero: true, max: max, title: { display: true, text: unit } } },
          plugins: { tooltip: { callbacks: { label: function (c) {
            return c.dataset.label + ": " + (c.parsed.y === null ? "no data" : c.parsed.y + " " + unit);
          } } } }
        }
      });
    }

    function bars(id, sets, unit, max) {
      var el = document.getElementById(id);
      if (!el) return;
      new Chart(el, {
        type: "bar",
        data: {
          labels: labels,
          datasets: sets.map(function (s) {
            return { label: s.label, data: s.data, backgroundColor: s.color, borderRadius: 3,
                     pointStyle: "rectRounded" };
          })
        },
        options: {
          interaction: { mode: "index", intersect: false },
          scales: { y: { beginAtZero: true, max: max, title: { display: true, text: unit } } }
        }
      });
    }

    line("chart-reply", [
      { label: "Median", data: data.reply_p50, color: blue },
      { label: "90th percentile", data: data.reply_p90, color: slate, dash: [6, 4] }
    ], "hours");
    bars("chart-share", [{ label: "Within 24 h", data: data.share_24h, color: teal }], "%", 100);
    line("chart-solution", [
      { label: "Median", data: data.solution_p50, color: violet },
      { label: "90th percentile", data: data.solution_p90, color: slate, dash: [6, 4] }
    ], "hours");
    bars("chart-reach", [
      { label: "Questions asked", data: data.asked, color: slate },
      { label: "KB helped", data: data.kb_people, color: teal },
      { label: "Linked fixes reached", data: data.fix_people, color: amber }
    ], "people / questions");
    line("chart-deflection", [{ label: "Prevented", data: data.deflection, color: amber }], "%", 100);
    document.documentElement.setAttribute("data-insights-charts", String(Object.keys(Chart.instances).length));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
