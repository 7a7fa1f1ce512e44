// Follow the unfinished jobs without reloading by hand; reload once when one of them has finished.
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-job]")).filter(function (row) {
    return row.dataset.state === "queued" || row.dataset.state === "running";
  });
  if (!rows.length) return;
  var query = rows.map(function (row) { return "id=" + row.dataset.job; }).join("&");
  function poll() {
    fetch(window.location.pathname + "?format=json&" + query, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (data) {
        var finished = false;
        data.jobs.forEach(function (job) {
          var row = document.querySelector('tr[data-job="' + job.id + '"]');
          if (!row) return;
          var bar = row.querySelector('[data-role="bar"]');
          bar.style.width = job.progress + "%";
          bar.textContent = job.progress + "%";
          bar.parentElement.setAttribute("aria-valuenow", job.progress);
          row.querySelector('[data-role="state"]').textContent = job.state_label;
          if (job.finished) finished = true;
        });
        if (finished) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 4000); });
  }
  window.setTimeout(poll, 1000);
})();
