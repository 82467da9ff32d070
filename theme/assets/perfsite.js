/* Council finder: the home page lists every council as plain links; with JavaScript, typing narrows the list. */
(function () {
  "use strict";
  var box = document.querySelector(".finder-search");
  var input = document.getElementById("finder-input");
  var list = document.getElementById("council-list");
  if (!box || !input || !list) { return; }
  var status = document.getElementById("finder-status");
  var items = Array.prototype.slice.call(list.querySelectorAll("li"));
  var names = items.map(function (item) { return normalise(item.textContent); });
  box.hidden = false;

  function normalise(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  }

  function filter() {
    var words = normalise(input.value).split(" ").filter(Boolean);
    var shown = 0;
    items.forEach(function (item, index) {
      var match = words.every(function (word) { return names[index].indexOf(word) !== -1; });
      item.hidden = !match;
      if (match) { shown += 1; }
    });
    status.textContent = words.length ? shown + (shown === 1 ? " council matches" : " councils match") : "";
    return shown;
  }

  input.addEventListener("input", filter);
  input.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") { return; }
    var first = items.filter(function (item) { return !item.hidden; })[0];
    if (first && input.value.trim()) {
      event.preventDefault();
      window.location.href = first.querySelector("a").href;
    }
  });
  if (input.value) { filter(); }
})();
