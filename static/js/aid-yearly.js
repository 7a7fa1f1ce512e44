// The yearly aid chart, drawn from the "aid-chart-data" JSON; a bar opens the projects of its year.
(function () {
  var canvas = document.getElementById("aid-chart");
  if (!canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(document.getElementById("aid-chart-data").textContent);
  var band = function (value) { return data.labels.map(function () { return value; }); };
  var number = new Intl.NumberFormat(document.documentElement.lang || "vi", { maximumFractionDigits: 1 });
  new Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: data.names.total, data: data.totals, backgroundColor: "rgba(179, 38, 30, 0.75)", order: 2 },
        { type: "line", label: data.names.low, data: band(data.low), borderColor: "#198754", borderDash: [6, 4], borderWidth: 2, pointRadius: 0, fill: false, order: 1 },
        { type: "line", label: data.names.high, data: band(data.high), borderColor: "#198754", borderDash: [6, 4], borderWidth: 2, pointRadius: 0, backgroundColor: "rgba(25, 135, 84, 0.08)", fill: "-1", order: 1 }
      ]
    },
    options: {
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: { beginAtZero: true, title: { display: true, text: data.names.unit }, ticks: { callback: function (value) { return number.format(value); } } } },
      plugins: {
        legend: { position: "bottom" },
        tooltip: { callbacks: { label: function (item) { return item.dataset.label + ": " + number.format(item.parsed.y) + " " + data.names.unit; } } }
      },
      onClick: function (event, elements) {
        var bar = elements.find(function (element) { return element.datasetIndex === 0; });
        if (bar && data.totals[bar.index] > 0) window.location.href = data.links[bar.index];
      }
    }
  });
})();
