// "Use my current location": fills the hidden latitude/longitude of the report form. No map tiles needed.
(function () {
  var button = document.getElementById("use-location");
  if (!button) return;
  var state = document.getElementById("location-state");
  button.addEventListener("click", function () {
    if (!navigator.geolocation) { state.textContent = button.dataset.fail; return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
      state.textContent = button.dataset.done + " (" + pos.coords.latitude.toFixed(4) + ", " + pos.coords.longitude.toFixed(4) + ")";
    }, function () { state.textContent = button.dataset.fail; }, {enableHighAccuracy: true, timeout: 10000});
  });
})();

// "Copy" buttons on the receipt page: data-copy names the element whose text goes to the clipboard.
document.querySelectorAll("[data-copy]").forEach(function (b) {
  b.addEventListener("click", function () {
    var source = document.getElementById(b.dataset.copy);
    if (navigator.clipboard && source) navigator.clipboard.writeText(source.textContent);
  });
});
