// Directory filters, as progressive enhancement: without this script every group is listed and no
// control is shown. The controls come from the page's <template>, so the theme owns their markup;
// the filter state lives in the URL query so a filtered view can be shared.
(function () {
  "use strict";
  var directory = document.getElementById("directory");
  var template = document.getElementById("filters-template");
  if (!directory || !template || !("content" in template) || !window.URLSearchParams) return;

  var fields = ["q", "kind", "status", "activity"];
  var cards = [].slice.call(directory.querySelectorAll(".card"));
  var sections = [].slice.call(directory.querySelectorAll("section"));
  var total = cards.length;
  directory.parentNode.insertBefore(template.content.cloneNode(true), directory);
  var form = document.querySelector(".filters");
  var count = document.querySelector(".filter-count");

  function text(card, selector) {
    var el = card.querySelector(selector);
    return el ? el.textContent : "";
  }
  var haystacks = cards.map(function (card) {
    return [text(card, "h3"), text(card, ".summary"), text(card, ".people")].join(" ").toLowerCase();
  });

  // The badge may be re-computed in the browser, so it is the authority on a group's standing.
  function standing(card) {
    var badge = card.querySelector(".badge");
    var match = badge && /(?:^|\s)badge-([a-z-]+)/.exec(badge.className);
    return match ? match[1] : card.getAttribute("data-standing");
  }

  function activityOf(card) {
    var s = standing(card);
    if (s === "stale" || s === "at-risk" || s === "unknown") return s;
    return s === "active" ? "recent" : "";
  }

  function state() {
    var s = {};
    fields.forEach(function (name) { s[name] = form.elements[name].value.trim(); });
    return s;
  }

  function matches(card, i, s) {
    var words = s.q.toLowerCase().split(/\s+/).filter(Boolean);
    return (!s.kind || card.getAttribute("data-kind") === s.kind) &&
      (!s.status || card.getAttribute("data-status") === s.status) &&
      (!s.activity || activityOf(card) === s.activity) &&
      words.every(function (w) { return haystacks[i].indexOf(w) !== -1; });
  }

  function announce(shown, filtered) {
    var key = !filtered ? "data-all" : shown === 0 ? "data-none" : shown === 1 ? "data-one" : "data-many";
    count.textContent = count.getAttribute(key).replace("{shown}", shown).replace("{total}", total);
  }

  function saveToUrl(s) {
    var params = new URLSearchParams(window.location.search);
    fields.forEach(function (name) {
      if (s[name]) params.set(name, s[name]); else params.delete(name);
    });
    var query = params.toString();
    history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function apply() {
    var s = state();
    var shown = 0;
    cards.forEach(function (card, i) {
      var visible = matches(card, i, s);
      card.hidden = !visible;
      if (visible) shown++;
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector(".card:not([hidden])");
    });
    announce(shown, fields.some(function (name) { return s[name]; }));
    saveToUrl(s);
  }

  function loadFromUrl() {
    var params = new URLSearchParams(window.location.search);
    fields.forEach(function (name) {
      var field = form.elements[name];
      var value = params.get(name) || "";
      var known = field.tagName !== "SELECT" || [].some.call(field.options, function (o) { return o.value === value; });
      field.value = known ? value : "";
    });
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  loadFromUrl();
  apply();
  // On a phone the list matters more than the controls: fold them unless a filter is set.
  var box = document.querySelector(".filters-box");
  var filtered = fields.some(function (name) { return form.elements[name].value; });
  if (box && !filtered && window.matchMedia && !window.matchMedia("(min-width: 40rem)").matches) {
    box.open = false;
  }
})();
