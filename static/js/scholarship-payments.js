// "Select all" ticks every unpaid payment; the button shows how many are ticked.
(function () {
  var all = document.getElementById("select-all");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input.payment-check"));
  var counter = document.getElementById("selected-count");
  if (!all) return;
  function update() {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    counter.textContent = ticked;
    counter.hidden = ticked === 0;
    all.checked = boxes.length > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }
  all.disabled = boxes.length === 0;
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
    update();
  });
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
})();
