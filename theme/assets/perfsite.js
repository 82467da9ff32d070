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

/* Embed snippets: with JavaScript, addresses from the site's root become full addresses and each
   snippet gets a button that copies it. Without it the snippets are plain text to select. */
(function () {
  "use strict";
  var block = document.querySelector(".snippets");
  if (!block) { return; }
  if (block.hasAttribute("data-relative")) {
    var root = new URL(block.getAttribute("data-root") || "./", window.location.href).href;
    Array.prototype.forEach.call(block.querySelectorAll(".snippet code"), function (code) {
      code.textContent = code.textContent.replace(/(src|href)="\//g, "$1=\"" + root);
    });
    var note = block.querySelector(".snippet-note");
    if (note) { note.hidden = true; }
  }
  Array.prototype.forEach.call(block.querySelectorAll(".snippet"), function (snippet) {
    var button = document.createElement("button");
    var status = document.createElement("span");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = snippet.id === "badge-snippet" ? "Copy the badge's HTML" : "Copy the card's HTML";
    status.className = "copy-status";
    status.setAttribute("role", "status");
    var row = document.createElement("p");
    row.className = "copy-row";
    row.appendChild(button);
    row.appendChild(status);
    snippet.parentNode.insertBefore(row, snippet.nextSibling);
    button.addEventListener("click", function () {
      var text = snippet.textContent;
      function done() { status.textContent = "Copied"; }
      function fallback() {
        var range = document.createRange();
        range.selectNodeContents(snippet);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        status.textContent = document.execCommand && document.execCommand("copy") ? "Copied" : "Selected: press Ctrl+C or Cmd+C to copy";
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, fallback);
      } else {
        fallback();
      }
    });
  });
})();

/* A table wider than its region says so above it: "Scroll sideways to see the whole table". */
(function () {
  "use strict";
  var regions = Array.prototype.slice.call(document.querySelectorAll(".table-wrap"));
  if (!regions.length) { return; }
  var hints = regions.map(function (region) {
    var hint = document.createElement("p");
    hint.className = "scroll-hint";
    hint.hidden = true;
    hint.textContent = "The table is wider than the screen: scroll it sideways to see every column.";
    region.parentNode.insertBefore(hint, region);
    return hint;
  });
  function update() {
    regions.forEach(function (region, index) {
      hints[index].hidden = region.scrollWidth <= region.clientWidth + 1;
    });
  }
  update();
  window.addEventListener("resize", update);
})();
