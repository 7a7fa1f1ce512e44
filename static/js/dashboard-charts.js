// The dashboard's charts, drawn from the "dashboard-charts" JSON; each has a table with the same
// figures beside it, so nothing is lost without JavaScript, to a screen reader, or on paper.
(function () {
  // The tables folded under "Show as a table" are printed too.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.chart-table").forEach(function (details) {
      details.dataset.wasOpen = details.open ? "1" : "";
      details.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details.chart-table").forEach(function (details) {
      details.open = details.dataset.wasOpen === "1";
    });
  });

  var source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  if (Array.isArray(data)) data = { history: data };  // an association's page: its rows by year
  var number = new Intl.NumberFormat(document.documentElement.lang || "vi", { maximumFractionDigits: 1 });
  var RED = "rgba(179, 38, 30, 0.8)", BLUE = "rgba(13, 110, 253, 0.7)", GREEN = "#198754";
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }

  function draw(id, build) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    var config = build(canvas.dataset);
    config.options = Object.assign({
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom" } }
    }, config.options || {});
    new Chart(canvas, config);
  }
  function scaled(values, by) { return values.map(function (value) { return value / by; }); }
  function flat(value, labels) { return labels.map(function () { return value; }); }
  function axis(unit) {
    return { beginAtZero: true, title: { display: !!unit, text: unit || "" }, ticks: { callback: function (value) { return number.format(value); } } };
  }

  if (data.aid) {
    var billion = 1e9;
    draw("chart-aid", function (names) {
      return {
        data: {
          labels: data.aid.labels,
          datasets: [
            { type: "bar", label: names.disbursed, data: scaled(data.aid.disbursed, billion), backgroundColor: RED, order: 2 },
            { type: "line", label: names.low, data: flat(data.aid.low / billion, data.aid.labels), borderColor: GREEN, borderDash: [6, 4], borderWidth: 2, pointRadius: 0, fill: false, order: 1 },
            { type: "line", label: names.high, data: flat(data.aid.high / billion, data.aid.labels), borderColor: GREEN, borderDash: [6, 4], borderWidth: 2, pointRadius: 0, backgroundColor: "rgba(25, 135, 84, 0.08)", fill: "-1", order: 1 }
          ]
        },
        options: { scales: { y: axis(names.unit) } }
      };
    });
  }
  if (data.delegations) {
    draw("chart-delegations", function (names) {
      return {
        type: "bar",
        data: {
          labels: data.delegations.labels,
          datasets: [
            { label: names.outbound, data: data.delegations.outbound, backgroundColor: RED },
            { label: names.inbound, data: data.delegations.inbound, backgroundColor: BLUE }
          ]
        },
        options: { scales: { y: Object.assign(axis(""), { ticks: { precision: 0 } }) } }
      };
    });
  }
  [["chart-provinces", data.provinces], ["chart-levels", data.levels]].forEach(function (pair) {
    if (!pair[1]) return;
    draw(pair[0], function (names) {
      return {
        type: "bar",
        data: { labels: pair[1].labels, datasets: [{ label: names.students, data: pair[1].values, backgroundColor: RED }] },
        options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: Object.assign(axis(""), { ticks: { precision: 0 } }) } }
      };
    });
  });
  if (data.budget) {
    var million = 1e6;
    draw("chart-budget", function (names) {
      return {
        type: "bar",
        data: {
          labels: data.budget.labels,
          datasets: [
            { label: names.awarded, data: scaled(data.budget.awarded, million), backgroundColor: BLUE },
            { label: names.paid, data: scaled(data.budget.paid, million), backgroundColor: GREEN }
          ]
        },
        options: { scales: { y: axis(names.unit) } }
      };
    });
  }
  if (data.history) {
    draw("chart-history", function (names) {
      return {
        type: "line",
        data: {
          labels: data.history.map(function (row) { return row.year; }),
          datasets: [
            { label: names.members, data: data.history.map(function (row) { return row.members; }), borderColor: RED, backgroundColor: RED, yAxisID: "y" },
            { label: names.branches, data: data.history.map(function (row) { return row.branches; }), borderColor: BLUE, backgroundColor: BLUE, yAxisID: "y1" }
          ]
        },
        options: {
          scales: {
            y: Object.assign(axis(names.members), { ticks: { precision: 0 } }),
            y1: Object.assign(axis(names.branches), { position: "right", grid: { drawOnChartArea: false }, ticks: { precision: 0 } })
          }
        }
      };
    });
  }
})();
