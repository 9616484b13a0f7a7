"""Expands the meetings of iCalendar files with two independent readers of their VTIMEZONEs and
prints, for the Rust test to compare, every occurrence each reader finds and the one the IANA
tz database gives.

Usage: ics_occurrences.py FROM UNTIL FILE...   (FROM and UNTIL are YYYY-MM-DD, UTC days)
Prints one JSON object: file -> uid -> {"tzid", "description", "expected", "icalendar",
"vobject"}, each list the meeting starts in UTC as ISO 8601.

- "icalendar": the icalendar package with its pytz provider, which turns each VTIMEZONE into
  transitions with its own code, never by looking up the TZID;
- "vobject": vobject, which reads each VTIMEZONE with dateutil's tzical;
- "expected": the local times the RRULE gives, placed with Python's zoneinfo (fold=0: the first of
  a repeated time, and a skipped time with the offset from before the change, as RFC 5545 says).
"""
import datetime
import json
import sys
import zoneinfo

import icalendar
import vobject
from dateutil.rrule import rrulestr

UTC = datetime.timezone.utc


def iso(moments):
    return [m.astimezone(UTC).isoformat() for m in moments]


def with_icalendar(text, lo, hi):
    icalendar.use_pytz()
    calendar = icalendar.Calendar.from_ical(text)
    zones = {str(tz["TZID"]): tz.to_tz(lookup_tzid=False) for tz in calendar.walk("VTIMEZONE")}
    found = {}
    for event in calendar.walk("VEVENT"):
        tzid = event["DTSTART"].params["TZID"]
        local_start = event["DTSTART"].dt.replace(tzinfo=None)
        rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=local_start)
        locals_ = rule.between(lo.replace(tzinfo=None) - datetime.timedelta(days=1), hi.replace(tzinfo=None))
        own = [zones[tzid].localize(local) for local in locals_]
        iana = [local.replace(tzinfo=zoneinfo.ZoneInfo(tzid)) for local in locals_]
        found[str(event["UID"])] = {
            "tzid": tzid,
            "description": str(event.get("DESCRIPTION")),
            "icalendar": iso(m for m in own if lo <= m < hi),
            "expected": iso(m for m in iana if lo <= m < hi),
        }
    return found


def with_vobject(text, lo, hi):
    found = {}
    for event in vobject.readOne(text).vevent_list:
        moments = event.getrruleset(addRDate=True).between(lo - datetime.timedelta(days=1), hi)
        found[event.uid.value] = iso(m for m in moments if lo <= m < hi)
    return found


def main():
    lo, hi = (
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(), UTC)
        for day in sys.argv[1:3]
    )
    report = {}
    for path in sys.argv[3:]:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        events = with_icalendar(text, lo, hi)
        for uid, moments in with_vobject(text, lo, hi).items():
            events[uid]["vobject"] = moments
        report[path] = events
    json.dump(report, sys.stdout)


main()
