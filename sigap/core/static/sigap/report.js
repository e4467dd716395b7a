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

// A report, a message or a staff note being written survives a dropped signal or a refusal: what is typed is kept
// in this tab (sessionStorage, gone when the tab closes or its user signs out, so a shared phone keeps nothing), a
// send without a connection is held back with a message, and a fresh form in the same tab gets the text back. Name,
// contact, the device's location and photos are never kept. Each form[data-draft] holds its own notes
// ([data-draft-restored], [data-draft-offline]).
(function () {
  var PREFIX = "sigap-draft:";
  var store;
  try { store = window.sessionStorage; store.getItem(PREFIX); } catch (e) { return; }

  var PENDING = "sigap-draft-pending";
  var forgetAll = function () {
    Object.keys(store).forEach(function (key) { if (key.indexOf(PREFIX) === 0) store.removeItem(key); });
  };
  if (document.querySelector("[data-report-sent], .messages .report-sent")) forgetAll();
  // The sign-in page (signed out, or someone else at a shared computer): nothing one person typed waits for another.
  if (document.querySelector("[data-forget-drafts]")) forgetAll();
  Array.prototype.forEach.call(document.querySelectorAll("form[data-forget-drafts-on-send]"), function (form) {
    form.addEventListener("submit", function () { forgetAll(); store.removeItem(PENDING); });
  });
  // A staff form answers by sending the browser back to its page with a message. The draft of the form just sent is
  // forgotten once the answer says something and nothing went wrong; an error (or no answer at all) keeps it, and the
  // form below is filled in again.
  var pending = store.getItem(PENDING);
  if (pending !== null) {
    store.removeItem(PENDING);
    var said = document.querySelector(".messages li");
    if (said && !document.querySelector(".messages .error")) store.removeItem(pending);
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
    var key = PREFIX + form.dataset.draft;
    var skip = (form.dataset.draftSkip || "").split(" ");
    var kept = function (field) {
      return field.name && skip.indexOf(field.name) < 0 && field.type !== "file" && field.type !== "hidden" &&
        field.type !== "submit" && field.type !== "button";
    };
    var save = function () {
      var values = {};
      Array.prototype.forEach.call(form.elements, function (field) {
        if (kept(field)) values[field.name] = field.type === "checkbox" ? field.checked : field.value;
      });
      try { store.setItem(key, JSON.stringify(values)); } catch (e) { /* storage full or refused: nothing kept */ }
    };
    var restore = function () {
      var values;
      try { values = JSON.parse(store.getItem(key) || "null"); } catch (e) { values = null; }
      var main = form.dataset.draftMain;
      if (!values || !values[main]) return false;
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!kept(field) || !(field.name in values)) return;
        if (field.type === "checkbox") field.checked = !!values[field.name];
        else field.value = values[field.name];
      });
      return true;
    };

    var restored = form.querySelector("[data-draft-restored]");
    // A form the server sent back with errors already holds what was sent; only an empty one is filled in.
    if (form.dataset.draftRestore === "yes" && restore()) {
      if (restored) restored.hidden = false;
      // A form folded away in <details> is opened, or the text that came back would go unseen.
      var folded = form.closest("details");
      if (folded) folded.open = true;
    }
    var clear = form.querySelector("[data-draft-clear]");
    if (clear) clear.addEventListener("click", function () {
      store.removeItem(key);
      form.reset();
      if (restored) restored.hidden = true;
    });
    form.addEventListener("input", save);
    form.addEventListener("change", save);

    var offline = form.querySelector("[data-draft-offline]");
    form.addEventListener("submit", function (event) {
      save();
      if (navigator.onLine === false && offline) {
        event.preventDefault();
        offline.textContent = offline.dataset.offline;
        offline.hidden = false;
        return;
      }
      // A button that prints or downloads (data-draft-stay) leaves the page where it is: the draft is still wanted.
      if (event.submitter && event.submitter.hasAttribute("data-draft-stay")) return;
      try { store.setItem(PENDING, key); } catch (e) { /* nothing kept, nothing to forget */ }
    });
    window.addEventListener("online", function () {
      if (offline && !offline.hidden) offline.textContent = offline.dataset.online;
    });
  });
})();
