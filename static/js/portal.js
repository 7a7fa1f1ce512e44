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
