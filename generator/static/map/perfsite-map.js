/* The map page: colour each council's area for the chosen figure and view, switch between the
   two sets of councils, and give every area a tooltip on hover and on keyboard focus and a link to
   the council's page. Folium's script makes the map and its two empty layers, then calls
   perfsiteMap.start, which adds each layer's features from the page's JSON data block
   (#perfsite-map-<layer set>); Folium's layers call perfsiteMap.bindFeature for each feature.
   The figures ride in each feature's properties:
   {c: code, s: slug, n: name, t: type, f: [[figure, count, class against average, class by value,
   comparison with the average in words], ...]}. Classes with a pattern (config.patterns) are not coloured. */
(function () {
  "use strict";
  // The page sets this before the map's box is drawn, so the layout does not shift; set here too
  // before Folium's script, so Leaflet sizes a visible box.
  document.documentElement.classList.add("map-scripted");
  var config = JSON.parse(document.getElementById("perfsite-map-config").textContent);
  var state = { statistic: 0, view: config.initial.view, layerSet: config.initial.layerSet };

  function figureOf(feature) { return feature.properties.f[state.statistic]; }

  function classOf(feature) {
    var figure = figureOf(feature);
    return state.view === "average" ? figure[2] : figure[3];
  }

  function style(feature) {
    var key = classOf(feature);
    return {
      fillColor: config.patterns[key] || config.colours[state.view][key],
      fillOpacity: 1,
      color: config.outline,
      opacity: 1,
      weight: 0.75
    };
  }

  function pageOf(feature) { return config.root + feature.properties.s + "/" + config.year + "/"; }

  function openPage(feature) { window.location.href = pageOf(feature); }

  function describe(feature) {
    var properties = feature.properties;
    var statistic = config.statistics[state.statistic];
    var figure = figureOf(feature);
    var average = (config.averages[properties.t] || [])[state.statistic] || "not available";
    var comparison = state.view === "average" && figure[4] ?
      figure[4].charAt(0).toUpperCase() + figure[4].slice(1) : config.labels[statistic.key + ":" + state.view][classOf(feature)];
    return [
      statistic.label + ": " + figure[0] + (figure[1] ? " (" + figure[1] + ")" : ""),
      "Average for " + config.typePlurals[properties.t] + ": " + average,
      comparison
    ];
  }

  function tooltip(feature) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = feature.properties.n;
    box.appendChild(name);
    describe(feature).forEach(function (line) {
      var row = document.createElement("span");
      row.textContent = line;
      box.appendChild(row);
    });
    return box;
  }

  window.perfsiteMap = {
    bindFeature: function (feature, layer) {
      layer.bindTooltip(function () { return tooltip(feature); }, { sticky: true, direction: "top", className: "map-tooltip" });
      layer.on("click", function () { openPage(feature); });
      layer.on("mouseover", function () { layer.setStyle({ weight: 3 }); });
      layer.on("mouseout", function () { layer.setStyle({ weight: 0.75 }); });
      layer.on("add", function () {
        var element = layer.getElement();
        element.setAttribute("tabindex", "0");
        element.setAttribute("role", "link");
        element.setAttribute("aria-label", feature.properties.n);
        element.addEventListener("keydown", function (event) {
          if (event.key === "Enter") {
            event.preventDefault();
            openPage(feature);
          }
        });
      });
    },

    start: function (map, layers) {
      var form = document.getElementById("map-controls");
      var status = document.getElementById("map-status");
      var legends = Array.prototype.slice.call(document.querySelectorAll(".map-legend .legend"));
      Object.keys(layers).forEach(function (key) {
        layers[key].addData(JSON.parse(document.getElementById("perfsite-map-" + key).textContent));
      });
      var container = map.getContainer();
      container.setAttribute("role", "region");
      container.setAttribute("aria-label", "Map of councils, " + config.year + ": arrow keys move the map; tab to each council");

      var bounds = layers.lower.getBounds();
      if (!bounds.isValid()) { bounds = layers.county.getBounds(); }
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [8, 8] }); }

      function apply() {
        Object.keys(layers).forEach(function (key) {
          var shown = map.hasLayer(layers[key]);
          if (key === state.layerSet && !shown) { map.addLayer(layers[key]); }
          if (key !== state.layerSet && shown) { map.removeLayer(layers[key]); }
        });
        var active = layers[state.layerSet];
        active.eachLayer(function (layer) { layer.closeTooltip(); });
        active.setStyle(style);
        var statistic = config.statistics[state.statistic];
        legends.forEach(function (legend) {
          legend.hidden = !(legend.getAttribute("data-statistic") === statistic.key && legend.getAttribute("data-view") === state.view);
        });
        var checkedSet = form.querySelector("input[name=layerSet]:checked");
        var checkedView = form.querySelector("input[name=view]:checked");
        status.textContent = checkedSet.parentNode.textContent.trim() + " (" + active.getLayers().length + "): " +
          statistic.label.toLowerCase() + ", " + checkedView.parentNode.textContent.trim().toLowerCase() + ".";
      }

      form.addEventListener("change", function () {
        var chosen = form.querySelector("input[name=statistic]:checked").value;
        config.statistics.forEach(function (statistic, index) {
          if (statistic.key === chosen) { state.statistic = index; }
        });
        state.view = form.querySelector("input[name=view]:checked").value;
        state.layerSet = form.querySelector("input[name=layerSet]:checked").value;
        apply();
      });
      form.hidden = false;
      apply();
    }
  };
})();
