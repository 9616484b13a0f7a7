// groupdir serve: live reload. Added to served pages only, never to `groupdir build` output.
// The events URL comes from this script's own URL, so it follows the page's host, port and base
// path, also behind a proxy.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.EventSource) return;
  var url = new URL("events", script.src);
  url.searchParams.set("since", script.dataset.generation || "0");
  var source = new EventSource(url.href);

  // On a phone the error overlay starts folded to its heading, so the page stays readable.
  function fold(host) {
    var details = host && host.shadowRoot && host.shadowRoot.querySelector("details.fold");
    if (details && window.matchMedia && window.matchMedia("(max-width: 640px)").matches) {
      details.open = false;
    }
  }
  fold(document.getElementById("groupdir-overlay"));

  source.addEventListener("reload", function () {
    source.close();
    location.reload();
  });

  // Only stylesheets changed: fetch them again without losing the scroll position or form state.
  // Lines after the first name the renamed ones (their names carry a hash): `before after`.
  source.addEventListener("css", function (event) {
    var swaps = {};
    event.data.split("\n").slice(1).forEach(function (line) {
      var paths = line.split(" ");
      if (paths.length === 2) swaps[paths[0]] = paths[1];
    });
    var stamp = Date.now().toString(36);
    document.querySelectorAll('link[rel~="stylesheet"]').forEach(function (link) {
      var href = new URL(link.href);
      if (swaps[href.pathname]) {
        href.pathname = swaps[href.pathname];
      } else {
        href.searchParams.set("groupdir-reload", stamp);
      }
      link.href = href.href;
    });
  });

  // The build broke: show the errors at once; the next good build sends `reload`.
  source.addEventListener("overlay", function (event) {
    var old = document.getElementById("groupdir-overlay");
    if (old) old.remove();
    var holder = document.createElement("div");
    holder.innerHTML = event.data;
    // innerHTML leaves a declarative shadow root an inert <template>: attach it by hand.
    holder.querySelectorAll("template[shadowrootmode]").forEach(function (template) {
      var host = template.parentNode;
      host.attachShadow({ mode: template.getAttribute("shadowrootmode") }).appendChild(template.content);
      template.remove();
    });
    while (holder.firstChild) document.body.appendChild(holder.firstChild);
    fold(document.getElementById("groupdir-overlay"));
  });
})();
