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

/* Compare: reads ?councils=slug,slug&year=YYYY-YY, fetches each council's data.json and lays the
   figures side by side. Without JavaScript the page links to the tables that hold them. */
(function () {
  "use strict";
  var tool = document.querySelector(".compare-tool");
  if (!tool || !window.fetch) { return; }
  var root = tool.getAttribute("data-root") || "";
  var form = document.getElementById("compare-form");
  var inputs = Array.prototype.slice.call(document.querySelectorAll(".compare-council"));
  var yearSelect = document.getElementById("compare-year");
  var status = document.getElementById("compare-status");
  var result = document.getElementById("compare-result");
  var bySlug = {}, byName = {};
  Array.prototype.forEach.call(document.querySelectorAll("#compare-councils option"), function (option) {
    bySlug[option.getAttribute("data-slug")] = option.value;
    byName[option.value.toLowerCase()] = option.getAttribute("data-slug");
  });
  tool.hidden = false;
  var fallback = document.querySelector(".compare-fallback");
  if (fallback) { fallback.hidden = true; }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function cell(statistic, key) {
    var td = element("td");
    if (!statistic) { td.textContent = "not in this data"; return td; }
    td.appendChild(element("span", statistic.shown || statistic.status, "value"));
    if (statistic.numerator !== null && statistic.denominator !== null && statistic.status === "value") {
      var counts = key === "upheld_per_100k"
        ? statistic.numerator.toLocaleString("en-GB") + (statistic.numerator === 1 ? " upheld decision" : " upheld decisions") + ", population " + statistic.denominator.toLocaleString("en-GB")
        : statistic.numerator.toLocaleString("en-GB") + " of " + statistic.denominator.toLocaleString("en-GB");
      td.appendChild(element("span", counts, "count"));
    }
    var average = statistic.type_average && statistic.type_average.shown;
    td.appendChild(element("span", "Average for its type: " + (average || "not available"), "count"));
    if (statistic.comparison) {
      var verdict = statistic.comparison.verdict;
      td.appendChild(element("span", verdict.charAt(0).toUpperCase() + verdict.slice(1) + (verdict.indexOf("average") === -1 && verdict.indexOf("compare") === -1 ? " the average" : ""), "verdict"));
    }
    return td;
  }

  function show(councils, year) {
    result.textContent = "";
    var wrap = element("div", "", "table-wrap");
    wrap.setAttribute("role", "region");
    wrap.setAttribute("tabindex", "0");
    var caption = "Figures for " + year + ": " + councils.map(function (c) { return c.name; }).join(", ");
    wrap.setAttribute("aria-label", caption);
    var table = element("table", "", "compare-table");
    table.appendChild(element("caption", caption));
    var head = element("thead"), row = element("tr");
    row.appendChild(element("th", "Statistic")).setAttribute("scope", "col");
    councils.forEach(function (council) {
      var th = element("th");
      th.setAttribute("scope", "col");
      var link = element("a", council.name);
      link.href = root + council.slug + "/" + year + "/";
      th.appendChild(link);
      th.appendChild(element("span", council.type_label, "count"));
      row.appendChild(th);
    });
    head.appendChild(row);
    table.appendChild(head);
    var body = element("tbody");
    var labels = {};
    councils.forEach(function (council) {
      Object.keys(council.statistics || {}).forEach(function (key) { labels[key] = council.statistics[key].label; });
    });
    Object.keys(labels).forEach(function (key) {
      var tr = element("tr");
      var th = element("th", labels[key]);
      th.setAttribute("scope", "row");
      tr.appendChild(th);
      councils.forEach(function (council) { tr.appendChild(cell(council.statistics && council.statistics[key], key)); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    wrap.appendChild(table);
    result.appendChild(wrap);
  }

  function compare(slugs, year) {
    slugs = slugs.filter(function (slug, index) { return slug && bySlug[slug] && slugs.indexOf(slug) === index; }).slice(0, inputs.length);
    if (!slugs.length) { status.textContent = "Choose at least one council from the list."; result.textContent = ""; return; }
    status.textContent = "Loading the figures…";
    Promise.all(slugs.map(function (slug) {
      return fetch(root + slug + "/data.json").then(function (response) {
        if (!response.ok) { throw new Error(slug); }
        return response.json();
      });
    })).then(function (documents) {
      var councils = documents.map(function (documentData) {
        var council = documentData.councils[0];
        var entry = council.years.filter(function (y) { return y.year === year; })[0];
        return {slug: council.slug, name: council.name, type_label: council.type_label, statistics: entry ? entry.statistics : null};
      });
      show(councils, year);
      status.textContent = "Showing " + councils.length + (councils.length === 1 ? " council" : " councils") + " for " + year + ".";
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", "?councils=" + slugs.join(",") + "&year=" + year);
      }
    }, function () {
      status.textContent = "The figures could not be loaded. Try again, or use the tables of councils by type.";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    compare(inputs.map(function (input) { return byName[input.value.trim().toLowerCase()] || ""; }), yearSelect.value);
  });

  var params = new URLSearchParams(window.location.search);
  var wanted = (params.get("councils") || "").split(",").filter(Boolean);
  if (params.get("year")) { yearSelect.value = params.get("year"); }
  wanted.slice(0, inputs.length).forEach(function (slug, index) { if (bySlug[slug]) { inputs[index].value = bySlug[slug]; } });
  if (wanted.length) { compare(wanted, yearSelect.value); }
})();
