// Marks the navigation link of the current page (the longest matching path) as active.
(function () {
  var links = document.querySelectorAll('[data-testid="main-nav"] a[href^="/"]');
  var best = null;
  links.forEach(function (link) {
    var path = link.getAttribute("href");
    var matches = path === "/" ? location.pathname === "/" : location.pathname.indexOf(path) === 0;
    if (matches && (!best || path.length > best.getAttribute("href").length)) best = link;
  });
  if (best) {
    best.classList.add("active");
    best.setAttribute("aria-current", "page");
    var dropdown = best.closest(".dropdown");
    if (dropdown) dropdown.querySelector(".nav-link").classList.add("active");
  }
})();

// Behaviour the templates ask for with data attributes (the content policy allows no inline script):
// a button with data-print prints the page; a select with data-autosubmit sends its form when changed;
// a progress bar with data-progress is drawn that wide.
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll(".progress-bar[data-progress]").forEach(function (bar) {
    bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.progress) || 0)) + "%";
  });
})();
