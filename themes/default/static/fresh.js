// Keeps a static page true on the day it is read: re-computes the staleness badges and the next
// meeting dates from the data attributes the build wrote. Without it the build's verdict stands.
(function () {
  "use strict";
  var DAY = 86400000;

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
  // The instant at which the wall clock in `zone` shows `dayCount` at `hhmm`.
  function instant(dayCount, hhmm, zone) {
    var hm = hhmm.split(":");
    var guess = dayCount * DAY + (hm[0] * 60 + +hm[1]) * 60000;
    var first = guess - offset(guess, zone);
    return guess - offset(first, zone);
  }

  function standing(badge, today) {
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

  function badges() {
    var today = localToday();
    document.querySelectorAll(".badge[data-status='active'][data-last-activity]").forEach(function (badge) {
      var s = standing(badge, today);
      rewrite(badge, s);
      var holder = badge.closest("[data-standing]");
      if (holder) holder.dataset.standing = s.verdict;
    });
  }

  function nextDate(item, zone) {
    var w = wall(Date.now(), zone);
    var today = Date.UTC(w.year, w.month - 1, w.day) / DAY;
    var period = 7 * +item.dataset.everyWeeks;
    var anchor = item.dataset.nextDate;
    if (!anchor) return null;
    var from = days(anchor);
    if (from >= today) return from;
    return from + Math.ceil((today - from) / period) * period;
  }

  function meetings() {
    var local = new Intl.DateTimeFormat(undefined, {
      weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
      timeZoneName: "short"
    });
    var timeOnly = new Intl.DateTimeFormat(undefined, {
      hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    });
    document.querySelectorAll(".meeting[data-timezone][data-time]").forEach(function (item) {
      var zone = item.dataset.timezone;
      var next = nextDate(item, zone);
      var shown = item.querySelector(".local");
      if (next === null) {
        // The week is not known, but the time of day is: show it for the coming week.
        var weekday = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
          .indexOf(item.dataset.day);
        var day = localToday();
        while (new Date(day * DAY).getUTCDay() !== weekday) day += 1;
        shown.textContent = " (your time: " + timeOnly.format(instant(day, item.dataset.time, zone)) + ")";
      } else {
        var at = instant(next, item.dataset.time, zone);
        var time = item.querySelector("time.next");
        time.dateTime = new Date(at).toISOString().slice(0, 16) + "Z";
        time.textContent = iso(next);
        shown.textContent = " (your time: " + local.format(at) + ")";
      }
      shown.hidden = false;
    });
  }

  badges();
  meetings();
})();
