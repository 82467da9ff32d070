/* The map page: colour each council's area for the chosen figure and view, switch between the
   two sets of councils, and give every area a tooltip on hover and on keyboard focus and a link to
   the council's page. Nothing is loaded or drawn until the map's box comes near the screen
   (perfsiteMap.whenVisible): then Leaflet (config.leaflet) and the outlines every year shares
   (config.areas, TopoJSON) are fetched, Folium's script makes the map and its two empty layers and
   calls perfsiteMap.start, which joins each layer's features from the page's JSON data block
   (#perfsite-map-<layer set>) to their outlines and adds them a few at a time, so that no long
   task blocks the page; Folium's layers call perfsiteMap.bindFeature for each feature.
   The figures ride in each feature's properties:
   {c: code, s: slug, n: name, t: type, g: position of its outline in the layer set of config.areas,
   f: [[figure, count, class against average, class by value, comparison with the average in words], ...]}.
   Classes with a pattern (config.patterns) are not coloured. */
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

  var topology = null;

  // TopoJSON to GeoJSON geometry: undo the quantisation and delta encoding of each arc.
  function decodedArcs(topo) {
    var scale = topo.transform.scale, shift = topo.transform.translate;
    return topo.arcs.map(function (arc) {
      var x = 0, y = 0;
      return arc.map(function (step) {
        x += step[0];
        y += step[1];
        return [x * scale[0] + shift[0], y * scale[1] + shift[1]];
      });
    });
  }

  function ringOf(arcs, indexes) {
    var points = [];
    indexes.forEach(function (index) {
      var arc = index >= 0 ? arcs[index] : arcs[~index].slice().reverse();
      arc.forEach(function (point, position) {
        if (position > 0 || points.length === 0) { points.push(point); }
      });
    });
    return points;
  }

  function geometryOf(arcs, geometry) {
    var polygon = function (rings) { return rings.map(function (ring) { return ringOf(arcs, ring); }); };
    return geometry.type === "Polygon" ?
      { type: "Polygon", coordinates: polygon(geometry.arcs) } :
      { type: "MultiPolygon", coordinates: geometry.arcs.map(polygon) };
  }

  function loadScript(source) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = source;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + source)); };
      document.head.appendChild(script);
    });
  }

  // Run draw once the map's box is within a screen of the view, after Leaflet and the outlines load.
  function whenVisible(draw) {
    var frame = document.querySelector(".map-frame");
    var started = false;
    function begin() {
      if (started) { return; }
      started = true;
      Promise.all([
        loadScript(config.leaflet),
        fetch(config.areas).then(function (response) {
          if (!response.ok) { throw new Error("could not load " + config.areas); }
          return response.json();
        })
      ]).then(function (loaded) {
        topology = loaded[1];
        draw();
      }).catch(function (error) {
        document.getElementById("map-status").textContent = "The map could not be loaded. The table below has every council's figures.";
        throw error;
      });
    }
    if (!("IntersectionObserver" in window)) { begin(); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        begin();
      }
    }, { rootMargin: "100% 0px" });
    observer.observe(frame);
  }

  // Add the features a few at a time, yielding between batches, then call done.
  function addInBatches(layer, features, done) {
    var position = 0;
    function next() {
      var end = Math.min(position + 40, features.length);
      layer.addData({ type: "FeatureCollection", features: features.slice(position, end) });
      position = end;
      if (position < features.length) { setTimeout(next, 0); } else { done(); }
    }
    next();
  }

  window.perfsiteMap = {
    whenVisible: whenVisible,

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
      var arcs = decodedArcs(topology);
      var container = map.getContainer();
      container.setAttribute("role", "region");
      container.setAttribute("aria-label", "Map of councils, " + config.year + ": arrow keys move the map; tab to each council");

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
      // Fit the view to every outline before drawing, so that the paths are drawn once.
      var south = 90, west = 180, north = -90, east = -180;
      arcs.forEach(function (arc) {
        arc.forEach(function (point) {
          west = Math.min(west, point[0]); east = Math.max(east, point[0]);
          south = Math.min(south, point[1]); north = Math.max(north, point[1]);
        });
      });
      if (arcs.length) { map.fitBounds([[south, west], [north, east]], { padding: [8, 8], animate: false }); }
      var keys = Object.keys(layers), waiting = keys.length;
      keys.forEach(function (key) {
        var outlines = topology.objects[key].geometries;
        var features = JSON.parse(document.getElementById("perfsite-map-" + key).textContent).features;
        features.forEach(function (feature) { feature.geometry = geometryOf(arcs, outlines[feature.properties.g]); });
        layers[key].options.style = style;
        addInBatches(layers[key], features, function () {
          waiting -= 1;
          if (waiting > 0) { return; }
          form.hidden = false;
          apply();
        });
      });
    }
  };
})();
