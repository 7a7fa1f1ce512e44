// Follow the job without reloading: ask for its state every second; reload once when it has finished.
(function () {
  var url = window.location.pathname + "?format=json";
  var bar = document.querySelector("#import-progress .progress-bar");
  var holder = document.getElementById("import-progress");
  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        bar.style.width = data.progress + "%";
        bar.textContent = data.progress + "%";
        holder.setAttribute("aria-valuenow", data.progress);
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
