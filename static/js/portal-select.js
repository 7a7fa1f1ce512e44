// Selects a clerk can search (Tom Select, vendored under static/vendor/tom-select):
// - a select with data-remote="/choices/<source>/" holds only the chosen options; the others are
//   asked of the portal as the user types (pages of 20, "more" loads the next);
// - a multiple select, or a select of more than SEARCH_FROM options, is searched in the page.
// Inline rows: a button with data-add-row="<prefix>" adds an empty row of that formset from its
// <template data-empty-row="<prefix>">, without sending the form.
(function () {
  var SEARCH_FROM = 20;
  // The words come translated on the script's own tag (data-text-*).
  var tag = document.currentScript ? document.currentScript.dataset : {};
  var words = {
    none: tag.textNone || "",
    more: tag.textMore || "",
    remove: tag.textRemove || "",
  };

  function render() {
    return {
      no_results: function () { return '<div class="no-results">' + words.none + "</div>"; },
      loading_more: function () { return '<div class="loading-more-results py-2 d-flex align-items-center"><div class="spinner-border spinner-border-sm me-2" role="status"></div>' + words.more + "</div>"; },
    };
  }

  function remoteOptions(select) {
    var url = select.dataset.remote;
    return {
      valueField: "value",
      labelField: "text",
      searchField: "text",
      preload: "focus",
      maxOptions: null,
      placeholder: select.dataset.placeholder || "",
      plugins: select.multiple ? { remove_button: { title: words.remove }, virtual_scroll: {} } : { virtual_scroll: {} },
      firstUrl: function (query) { return url + "?" + new URLSearchParams({ q: query, page: 1 }); },
      load: function (query, callback) {
        var self = this;
        var next = self.getUrl(query);
        fetch(next, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [], more: false }; })
          .then(function (data) {
            if (data.more) {
              var pageNumber = Number(new URL(next, location.href).searchParams.get("page")) + 1;
              self.setNextUrl(query, url + "?" + new URLSearchParams({ q: query, page: pageNumber }));
            }
            callback(data.results);
          })
          .catch(function () { callback(); });
      },
      render: render(),
    };
  }

  function localOptions(select) {
    return {
      maxOptions: null,
      plugins: select.multiple ? { remove_button: { title: words.remove } } : {},
      render: render(),
    };
  }

  function enhance(root) {
    if (typeof TomSelect === "undefined") return;
    root.querySelectorAll("select").forEach(function (select) {
      if (select.tomselect || select.closest("template") || select.name.indexOf("__prefix__") !== -1) return;
      if (select.dataset.remote) {
        new TomSelect(select, remoteOptions(select));
      } else if (select.multiple || select.options.length > SEARCH_FROM) {
        new TomSelect(select, localOptions(select));
      }
      // Tom Select gives the <label> to its own input and only hides the <select> from the eye: hide it from
      // screen readers too, or they meet a second, nameless list (axe "select-name", tom-select issue #997).
      if (select.tomselect) select.setAttribute("aria-hidden", "true");
    });
  }

  function addRow(button) {
    var prefix = button.dataset.addRow;
    var template = document.querySelector('template[data-empty-row="' + prefix + '"]');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var most = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var count = Number(total.value);
    if (most && count >= Number(most.value)) return;
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(count));
    var row = holder.firstElementChild;
    document.querySelector('[data-rows="' + prefix + '"]').appendChild(row);
    total.value = String(count + 1);
    enhance(row);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () { addRow(button); });
  });
  enhance(document);
})();
