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
        fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
          .then(function (reply) { return reply.ok ? reply.text() : ""; })
          .then(function (html) {
            var holder = document.createElement("template");
            holder.innerHTML = html;
            var counts = holder.content.getElementById("status-counts");
            var current = document.getElementById("status-counts");
            if (counts && current) { counts.removeAttribute("hx-swap-oob"); current.replaceWith(counts); }
            var rows = holder.content.querySelectorAll("li[data-id]");
            for (var i = rows.length - 1; i >= 0; i--) {
              if (!list.querySelector('li[data-id="' + rows[i].dataset.id + '"]')) list.prepend(rows[i]);
            }
            if (rows.length) {
              list.dataset.newest = rows[0].dataset.id;
              var empty = document.getElementById("empty-note");
              if (empty) empty.remove();
              if (note) note.textContent = rows.length === 1 ? "1 new lead arrived." : rows.length + " new leads arrived.";
            }
          })
          .catch(function () { /* the next event tries again */ })
          .then(function () {
            fetching = false;
            if (again) { again = false; pull(); }
          });
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
// The pipeline board: drag a card onto another column (where a pointer exists); the drop
// sends the card's own move form, so it is the same request as its button.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var dragged = null;
  document.querySelectorAll(".card-item[draggable]").forEach(function (card) {
    card.addEventListener("dragstart", function (event) {
      dragged = card; event.dataTransfer.setData("text/plain", card.dataset.id);
    });
  });
  document.querySelectorAll(".column[data-status]").forEach(function (column) {
    column.addEventListener("dragover", function (event) { if (dragged) { event.preventDefault(); column.classList.add("drop"); } });
    column.addEventListener("dragleave", function () { column.classList.remove("drop"); });
    column.addEventListener("drop", function (event) {
      event.preventDefault(); column.classList.remove("drop");
      if (!dragged) return;
      var form = dragged.querySelector("form.move");
      var select = form && form.querySelector("select[name=status]");
      if (select && select.value !== column.dataset.status) { select.value = column.dataset.status; form.submit(); }
      dragged = null;
    });
  });
});
