/* The dashboard map: kelurahan boundaries shipped with Sigap, coloured by level. No tiles: it works offline. */
(function () {
  "use strict";
  var box = document.getElementById("map");
  if (!box || typeof L === "undefined") { return; }
  var colours = { aman: "#e2f0d9", waspada: "#ffe699", siaga: "#f4b183", awas: "#c00000" };
  var map = L.map(box, { zoomControl: true, attributionControl: false, scrollWheelZoom: false });
  fetch(box.dataset.geojson, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      if (!data.features || !data.features.length) {
        box.textContent = box.dataset.empty || "Belum ada penilaian / not assessed yet";
        return;
      }
      var layer = L.geoJSON(data, {
        style: function (feature) {
          return { color: "#ffffff", weight: 1, fillOpacity: 0.85, fillColor: colours[feature.properties.level] || "#cccccc" };
        },
        onEachFeature: function (feature, shape) {
          var p = feature.properties;
          var label = document.createElement("div");
          var link = document.createElement("a");
          link.href = box.dataset.areaUrl + encodeURIComponent(p.region_code) + "/";
          link.textContent = p.name;
          var detail = document.createElement("div");
          detail.textContent = p.level_label + " (" + p.score + ")";
          label.appendChild(link);
          label.appendChild(detail);
          shape.bindPopup(label);
          shape.bindTooltip(p.name + ": " + p.level_label);
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds());
      box.setAttribute("data-ready", String(data.features.length));
    })
    .catch(function () { box.textContent = "Peta tidak dapat dimuat / the map could not be loaded"; });
}());
