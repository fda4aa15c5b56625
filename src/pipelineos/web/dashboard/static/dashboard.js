// PipelineOS dashboard: live inbox (Server-Sent Events), confirmations, copy buttons.
// htmx (vendored beside this file) does the partial page updates.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var list = document.getElementById("lead-list");
    if (list && window.EventSource) {
      var note = document.getElementById("live-note");
      var fetching = false, again = false;
      var pull = function () {
        if (fetching) { again = true; return; }
        fetching = true;
        var query = list.dataset.query;
        var url = "/inbox/rows?" + (query ? query + "&" : "") + "after=" + (list.dataset.newest || "0");
        htmx.ajax("GET", url, { target: "#lead-list", swap: "afterbegin" }).then(function () {
          var first = list.querySelector("li[data-id]");
          if (first && Number(first.dataset.id) > Number(list.dataset.newest || 0)) {
            list.dataset.newest = first.dataset.id;
            if (note) note.textContent = "New lead arrived.";
          }
          fetching = false;
          if (again) { again = false; pull(); }
        }, function () { fetching = false; });
      };
      var stream = new EventSource("/events");
      stream.addEventListener("leads", pull);
      stream.addEventListener("open", function () { document.body.dataset.live = "on"; });
      stream.addEventListener("error", function () { document.body.dataset.live = "off"; });
    }
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    }, true);
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-copy]");
      if (!button) return;
      var source = document.querySelector(button.dataset.copy);
      if (!source) return;
      source.select();
      var done = function () { button.textContent = "Copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(done, function () { document.execCommand("copy"); done(); });
      } else { document.execCommand("copy"); done(); }
    });
  });
})();
