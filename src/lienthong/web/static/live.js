// Live regions: when the server announces a change on a topic a region follows,
// the region is re-read from the same URL (?_fragment=<name>) and swapped in place.
// No framework, no build step; the page works without this script, just not live.
(function () {
  "use strict";
  var pill = document.getElementById("live-status");
  var pending = {};
  var timer = null;

  function setStatus(on) {
    if (!pill) return;
    pill.classList.toggle("on", on);
    pill.classList.toggle("off", !on);
    var label = pill.querySelector(".live-label");
    if (label) label.textContent = on ? pill.dataset.liveText : pill.dataset.offText;
  }

  function follows(region, topics) {
    var wanted = (region.dataset.liveTopics || "").split(/\s+/);
    return topics.some(function (t) {
      return wanted.some(function (w) { return w && (t === w || t.indexOf(w + ":") === 0); });
    });
  }

  function refresh(region) {
    var url = new URL(window.location.href);
    url.searchParams.set("_fragment", region.dataset.live);
    return fetch(url.toString(), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        region.innerHTML = html;
        region.classList.remove("flash");
        void region.offsetWidth;  // restart the highlight animation
        region.classList.add("flash");
        document.dispatchEvent(new CustomEvent("lienthong:refreshed", { detail: region.id }));
      })
      .catch(function () {});
  }

  function flush() {
    timer = null;
    var topics = Object.keys(pending);
    pending = {};
    document.querySelectorAll("[data-live]").forEach(function (region) {
      if (follows(region, topics)) refresh(region);
    });
  }

  function connect() {
    if (!window.EventSource || !document.querySelector("[data-live]")) {
      setStatus(false);
      return;
    }
    var source = new EventSource("/live/events");
    source.addEventListener("hello", function () { setStatus(true); });
    source.addEventListener("change", function (e) {
      var event = JSON.parse(e.data);
      event.topics.forEach(function (t) { pending[t] = true; });
      // changes often come in bursts: gather them for a moment, then refresh once
      if (timer === null) timer = setTimeout(flush, 80);
    });
    source.onerror = function () { setStatus(false); };
    source.onopen = function () { setStatus(true); };
    window.addEventListener("pagehide", function () { source.close(); });
  }

  connect();
})();
