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
          // A kecamatan standing in for desa without a boundary of their own is outlined with dashes.
          var standIn = Boolean(feature.properties.stands_for);
          return {
            color: standIn ? "#1d2733" : "#ffffff", weight: standIn ? 1.5 : 1, dashArray: standIn ? "5 3" : null,
            fillOpacity: 0.85, fillColor: colours[feature.properties.level] || "#cccccc"
          };
        },
        onEachFeature: function (feature, shape) {
          var p = feature.properties;
          // A stand-in links to the desa whose level it shows.
          var shown = p.highest || p;
          var label = document.createElement("div");
          var link = document.createElement("a");
          link.href = box.dataset.areaUrl + encodeURIComponent(shown.region_code) + "/";
          link.textContent = p.highest ? p.name + " · " + p.highest.name : p.name;
          var detail = document.createElement("div");
          detail.textContent = p.level_label + " (" + p.score + ")";
          if (p.stands_for) {
            detail.textContent = p.stands_for + " " + box.dataset.standIn + ": " + detail.textContent;
          }
          label.appendChild(link);
          label.appendChild(detail);
          shape.bindPopup(label);
          shape.bindTooltip(link.textContent + ": " + p.level_label);
        }
      }).addTo(map);
      if (!layer.getLayers().length) {  // levels, but no shape to draw them on
        box.textContent = box.dataset.noShapes;
        return;
      }
      map.fitBounds(layer.getBounds());
      box.setAttribute("data-ready", String(data.features.length));
    })
    .catch(function () { box.textContent = "Peta tidak dapat dimuat / the map could not be loaded"; });
}());
