// Keeps a static page true on the day it is read: re-computes from the data attributes the build
// wrote everything that depends on the day (the badges, the directory's sections and counts, the
// days since a group's last activity, the next meetings) or, without JavaScript, leaves the
// build's verdict and its date.
(function () {
  "use strict";
  var DAY = 86400000;
  var STANDINGS = /(^|\s)(card|group)-(active|at-risk|stale)(?=\s|$)/;

  // A YYYY-MM-DD date as a count of days, so that date arithmetic ignores time zones.
  function days(iso) {
    var p = iso.split("-");
    return Date.UTC(+p[0], p[1] - 1, +p[2]) / DAY;
  }
  function iso(dayCount) {
    return new Date(dayCount * DAY).toISOString().slice(0, 10);
  }
  function localToday() {
    var now = new Date();
    return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / DAY;
  }
  // The visitor's day, never before the build's: west of UTC it may still be the day before.
  var built = document.body.dataset.built;
  var today = built ? Math.max(localToday(), days(built)) : localToday();

  // Wall-clock fields of instant `t` in `zone`.
  function wall(t, zone) {
    var f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit"
    });
    var o = {};
    f.formatToParts(new Date(t)).forEach(function (part) { o[part.type] = +part.value; });
    return o;
  }
  function offset(t, zone) {
    var w = wall(t, zone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour % 24, w.minute, w.second) - t;
  }
  // The instant at which the wall clock in `zone` shows `dayCount` at `hhmm`, read as calendars
  // read it (RFC 5545): the first of a repeated time; a skipped time with the offset from before.
  function instant(dayCount, hhmm, zone) {
    var hm = hhmm.split(":");
    var shown = dayCount * DAY + (hm[0] * 60 + +hm[1]) * 60000;
    var before = offset(shown - DAY, zone);
    var t = shown - before;
    if (offset(t, zone) === before) return t;
    var after = shown - offset(t, zone);
    return offset(after, zone) === offset(t, zone) ? after : t;
  }

  function standing(badge) {
    var daysInactive = Math.max(0, today - days(badge.dataset.lastActivity));
    var threshold = +badge.dataset.threshold;
    var verdict = "active";
    if (daysInactive > threshold) verdict = "stale";
    else if (daysInactive >= threshold - +badge.dataset.atRiskDays) verdict = "at-risk";
    return { verdict: verdict, days: daysInactive };
  }

  // The same words as templates/badge.html.
  function rewrite(badge, s) {
    var last = badge.dataset.lastActivity;
    badge.className = "badge badge-" + s.verdict;
    badge.textContent = "";
    if (s.verdict === "active") {
      badge.textContent = "Active";
      return;
    }
    var time = document.createElement("time");
    time.dateTime = last;
    time.textContent = last;
    var rule = badge.dataset.rule;
    badge.append(
      s.verdict === "stale"
        ? (rule ? "Stale: no issue or pull request since " : "Stale: no activity since ")
        : (rule ? "At risk: last issue or pull request " : "At risk: last active "),
      time,
      " (" + s.days + " days)"
    );
  }

  // A card goes to its standing's section of the directory, in slug order.
  function move(card, verdict) {
    var list = document.querySelector("#directory > #" + verdict + " .cards");
    if (!list || card.parentNode === list) return;
    var next = [].find.call(list.children, function (other) { return other.dataset.slug > card.dataset.slug; });
    list.insertBefore(card, next || null);
  }

  function recount() {
    document.querySelectorAll("#directory > section").forEach(function (section) {
      var n = section.querySelectorAll(".card").length;
      var count = section.querySelector("h2 .count");
      if (count) count.textContent = "(" + n + ")";
      section.hidden = n === 0;
    });
    ["at-risk", "stale"].forEach(function (verdict) {
      var holder = document.querySelector(".count-" + verdict);
      if (!holder) return;
      var n = document.querySelectorAll("#directory .card[data-standing='" + verdict + "']").length;
      holder.querySelector(".n").textContent = n;
      holder.hidden = n === 0;
    });
  }

  function standings() {
    document.querySelectorAll(".badge[data-status='active'][data-last-activity]").forEach(function (badge) {
      var s = standing(badge);
      rewrite(badge, s);
      // The card or page of the group: what else it says about the group's standing.
      var holder = badge.closest("[data-standing]");
      if (!holder) return;
      holder.dataset.standing = s.verdict;
      holder.className = holder.className.replace(STANDINGS, "$1$2-" + s.verdict);
      var notice = holder.querySelector(".notice-stale");
      if (notice) notice.hidden = s.verdict !== "stale";
      if (holder.dataset.slug) move(holder, s.verdict);
    });
    recount();
    // Every count of days since a date: a group's last activity, its last issue or pull request.
    document.querySelectorAll(".days-since[data-since]").forEach(function (n) {
      n.textContent = Math.max(0, today - days(n.dataset.since));
    });
    if (built && today !== days(built)) {
      document.querySelectorAll("time.as-of").forEach(function (time) {
        time.dateTime = time.textContent = iso(today);
      });
      var note = document.querySelector(".site-footer .built");
      if (note) note.textContent = ", today; the site was built on " + built;
    }
  }

  function nextDate(item, zone) {
    var w = wall(Date.now(), zone);
    var zoneToday = Date.UTC(w.year, w.month - 1, w.day) / DAY;
    var period = 7 * +item.dataset.everyWeeks;
    var anchor = item.dataset.nextDate;
    if (!anchor) return null;
    var from = days(anchor);
    if (from >= zoneToday) return from;
    return from + Math.ceil((zoneToday - from) / period) * period;
  }

  // "2026-12-08T16:00Z" as milliseconds.
  function utcInstant(text) { return Date.parse(text.replace("Z", ":00Z")); }

  // The coming occurrences the build listed (`start/end` in UTC, cancelled ones marked "!"):
  // the first that has not ended by the visitor's clock, and whether it has started.
  function upcoming(item, now) {
    var list = (item.dataset.upcoming || "").split(" ").filter(Boolean);
    for (var i = 0; i < list.length; i++) {
      var cancelled = list[i].charAt(0) === "!";
      var span = list[i].replace("!", "").split("/");
      var start = utcInstant(span[0]), end = utcInstant(span[1]);
      if (end <= now) continue;
      if (cancelled) continue;
      return { start: start, end: end, now: start <= now, skipped: i > 0 && list[i - 1].charAt(0) === "!" };
    }
    return null;
  }

  function meetings() {
    var now = Date.now();
    var options = { hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
    var local = new Intl.DateTimeFormat(undefined, Object.assign({ weekday: "short", day: "numeric", month: "short" }, options));
    var timeOnly = new Intl.DateTimeFormat(undefined, options);
    document.querySelectorAll(".meeting[data-timezone][data-time]").forEach(function (item) {
      var zone = item.dataset.timezone;
      var at, format = local;
      var coming = item.dataset.upcoming ? upcoming(item, now) : null;
      var next = coming ? null : nextDate(item, zone);
      var time = item.querySelector("time.next");
      if (coming) {
        // By the hour, not the day: a meeting that has started is "now", one that has ended past.
        at = coming.start;
        var w = wall(at, zone);
        time.dateTime = new Date(at).toISOString().slice(0, 16) + "Z";
        time.textContent = iso(Date.UTC(w.year, w.month - 1, w.day) / DAY) + (coming.now ? " (now)" : "");
        var cancelled = item.querySelector(".cancelled");
        if (cancelled && !coming.skipped) cancelled.hidden = true;
      } else if (next === null || !time) {
        // The week is not known, but the time of day is: show it for the coming meeting day.
        var weekday = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
          .indexOf(item.dataset.day);
        var day = today;
        while (new Date(day * DAY).getUTCDay() !== weekday) day += 1;
        at = instant(day, item.dataset.time, zone);
        format = timeOnly;
      } else {
        at = instant(next, item.dataset.time, zone);
        time.dateTime = new Date(at).toISOString().slice(0, 16) + "Z";
        time.textContent = iso(next);
      }
      item.querySelector(".utc").textContent = new Date(at).toISOString().slice(11, 16) + " UTC";
      var shown = item.querySelector(".local");
      shown.textContent = " (your time: " + format.format(at) + ")";
      shown.hidden = false;
    });
    // The coming two weeks: past occurrences leave the list, the one under way says "now".
    document.querySelectorAll(".slot[data-start][data-end]").forEach(function (slot) {
      var start = utcInstant(slot.dataset.start), end = utcInstant(slot.dataset.end);
      slot.hidden = end <= now;
      var state = slot.querySelector(".state");
      if (state && !slot.classList.contains("cancelled")) state.textContent = start <= now && now < end ? "now" : "";
      var shown = slot.querySelector(".local");
      if (shown) {
        shown.textContent = ", your time: " + local.format(start);
        shown.hidden = false;
      }
    });
    // The meetings page lists the soonest first; weeks still to be confirmed come last.
    document.querySelectorAll("ul.meetings").forEach(function (list) {
      var key = function (item) { var t = item.querySelector("time.next"); return t ? t.dateTime : "~"; };
      [].slice.call(list.children).sort(function (a, b) { return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0; })
        .forEach(function (item) { list.appendChild(item); });
    });
  }

  standings();
  meetings();
})();
