// Fills the hidden lon/lat fields of the inspection form from the phone's position, if
// the officer allows it; the form works the same without.
(function () {
  var note = document.getElementById("visit-position");
  var lon = document.getElementById("visit-lon");
  var lat = document.getElementById("visit-lat");
  if (!note || !lon || !lat || lon.value) { return; }
  if (!navigator.geolocation) { note.textContent = note.dataset.none; return; }
  note.textContent = note.dataset.waiting;
  navigator.geolocation.getCurrentPosition(function (position) {
    lon.value = position.coords.longitude.toFixed(7);
    lat.value = position.coords.latitude.toFixed(7);
    note.textContent = note.dataset.found;
  }, function () { note.textContent = note.dataset.none; },
  {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
})();
