"""The next ten occurrences of every event of iCalendar files, as three independent clients
expand them, exceptions (EXDATE, RECURRENCE-ID) included, for the Rust test to compare.

Usage: ics_next_ten.py FROM FILE...   (FROM is YYYY-MM-DD, a UTC day)
Prints one JSON object: file -> uid -> {"recurring_ical_events", "vobject", "dateutil"}, each the
first ten starts at or after FROM in UTC as ISO 8601.

- "recurring_ical_events": icalendar with recurring-ical-events, as calendar apps built on
  icalendar read a file;
- "vobject": vobject's rruleset (which applies EXDATE), with each RECURRENCE-ID event replacing
  the occurrence it names, as vobject's users do;
- "dateutil": dateutil's rrulestr on the event's own DTSTART, RRULE and EXDATE lines, zones from
  the IANA database by TZID, overrides applied the same way.
"""
import datetime
import json
import sys
import zoneinfo

import icalendar
import recurring_ical_events
import vobject
from dateutil.rrule import rrulestr

UTC = datetime.timezone.utc
TEN = 10
YEARS = 3


def iso(moments):
    return [m.astimezone(UTC).isoformat() for m in moments]


def first_ten(moments, lo):
    return iso(sorted(m for m in moments if m >= lo)[:TEN])


def with_recurring_ical_events(text, lo):
    calendar = icalendar.Calendar.from_ical(text)
    hi = lo + datetime.timedelta(days=366 * YEARS)
    found = {}
    for event in recurring_ical_events.of(calendar).between(lo, hi):
        found.setdefault(str(event["UID"]), []).append(event["DTSTART"].dt)
    return {uid: first_ten(moments, lo) for uid, moments in found.items()}


def unfolded_events(text):
    """Each VEVENT's content lines, unfolded (RFC 5545 §3.1)."""
    events, current = [], None
    for line in text.replace("\r\n ", "").splitlines():
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return events


def value(lines, name):
    for line in lines:
        if line.split(":", 1)[0].split(";", 1)[0] == name:
            return line
    return None


def local(line):
    """`NAME;TZID=Zone:YYYYMMDDTHHMMSS` as an aware datetime, the zone from the IANA database."""
    head, stamp = line.split(":", 1)
    tzid = head.split("TZID=", 1)[1]
    moment = datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%S")
    return moment.replace(tzinfo=zoneinfo.ZoneInfo(tzid))


def with_dateutil(text, lo):
    masters, overrides = {}, {}
    for lines in unfolded_events(text):
        uid = value(lines, "UID").split(":", 1)[1]
        recurrence = value(lines, "RECURRENCE-ID")
        if recurrence:
            overrides.setdefault(uid, []).append((local(recurrence), local(value(lines, "DTSTART"))))
        else:
            masters[uid] = lines
    found = {}
    for uid, lines in masters.items():
        start = local(value(lines, "DTSTART"))
        if value(lines, "RRULE"):
            rule_lines = [l for l in lines if l.split(":", 1)[0].split(";", 1)[0] in ("DTSTART", "RRULE", "EXDATE")]
            rules = rrulestr("\n".join(rule_lines), forceset=True, tzids=zoneinfo.ZoneInfo)
            moments = list(rules.between(lo - datetime.timedelta(days=40), lo + datetime.timedelta(days=366 * YEARS), inc=True))
        else:
            moments = [start]
        found[uid] = first_ten(apply(moments, overrides.get(uid, [])), lo)
    return found


def apply(moments, overrides):
    replaced = {original for original, _ in overrides}
    kept = [m for m in moments if m not in replaced]
    return kept + [moved for original, moved in overrides if original in moments]


def with_vobject(text, lo):
    masters, overrides = {}, {}
    for event in vobject.readOne(text).vevent_list:
        if hasattr(event, "recurrence_id"):
            overrides.setdefault(event.uid.value, []).append((event.recurrence_id.value, event.dtstart.value))
        else:
            masters[event.uid.value] = event
    found = {}
    for uid, event in masters.items():
        rules = event.getrruleset(addRDate=True)
        if rules is None:
            moments = [event.dtstart.value]
        else:
            moments = list(rules.between(lo - datetime.timedelta(days=40), lo + datetime.timedelta(days=366 * YEARS), inc=True))
        found[uid] = first_ten(apply(moments, overrides.get(uid, [])), lo)
    return found


def main():
    lo = datetime.datetime.combine(datetime.date.fromisoformat(sys.argv[1]), datetime.time(), UTC)
    report = {}
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        readers = {
            "recurring_ical_events": with_recurring_ical_events(text, lo),
            "vobject": with_vobject(text, lo),
            "dateutil": with_dateutil(text, lo),
        }
        uids = set().union(*readers.values())
        report[path] = {uid: {name: found.get(uid, []) for name, found in readers.items()} for uid in uids}
    json.dump(report, sys.stdout)


main()
