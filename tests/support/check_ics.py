"""Parses iCalendar files with the `icalendar` package and prints what the Rust test checks.

Usage: check_ics.py AFTER FILE...   (AFTER is YYYY-MM-DD: the day to find each next meeting from)
Prints one JSON object: file -> {"events": [...], "timezones": {...}}. Each event gives its UID,
start, zone, rule and next start, both with the zone looked up by its IANA name and with the zone
built from the file's own VTIMEZONE only.
"""
import datetime
import json
import sys
import zoneinfo

import icalendar
from dateutil.rrule import rrulestr

SAMPLE_YEARS = 6


def own_zones(calendar):
    """TZID -> a tzinfo built from the VTIMEZONE component alone, never from the name."""
    return {str(tz["TZID"]): tz.to_tz(lookup_tzid=False) for tz in calendar.walk("VTIMEZONE")}


def mismatches(tzid, own, first_year):
    """Days (at noon) on which the VTIMEZONE's offset differs from the IANA database's."""
    iana = zoneinfo.ZoneInfo(tzid)
    day = datetime.datetime(first_year, 1, 1, 12, 0)
    wrong = []
    while day.year < first_year + SAMPLE_YEARS:
        if day.replace(tzinfo=own).utcoffset() != day.replace(tzinfo=iana).utcoffset():
            wrong.append(day.date().isoformat())
        day += datetime.timedelta(days=1)
    return wrong


def next_start(start, rule_text, after, tzinfo):
    start = start.replace(tzinfo=tzinfo)
    # dateutil expands the rule in the start's own zone, so daylight saving is its business.
    rules = rrulestr(rule_text, dtstart=start)
    moment = datetime.datetime.combine(after, datetime.time(0, 0), tzinfo=tzinfo)
    return rules.after(moment, inc=True)


def event(component, after, zones):
    start = component.decoded("DTSTART")
    rule = component.get("RRULE")
    rule_text = rule.to_ical().decode()
    tzid = component["DTSTART"].params.get("TZID")
    upcoming = next_start(start, rule_text, after, start.tzinfo)
    with_own = next_start(start, rule_text, after, zones[tzid]) if tzid in zones else None
    return {
        "uid": str(component.get("UID")),
        "summary": str(component.get("SUMMARY")),
        "description": str(component.get("DESCRIPTION")),
        "url": str(component.get("URL")),
        "dtstamp": component.decoded("DTSTAMP").isoformat(),
        "tzid": tzid,
        "start": start.isoformat(),
        "rrule": rule_text,
        "duration_minutes": int(component.decoded("DURATION").total_seconds() // 60)
        if "DURATION" in component
        else None,
        "next_local": upcoming.isoformat(),
        "next_utc": upcoming.astimezone(datetime.timezone.utc).isoformat(),
        "next_utc_own_zone": with_own.astimezone(datetime.timezone.utc).isoformat()
        if with_own
        else None,
    }


def main():
    after = datetime.date.fromisoformat(sys.argv[1])
    report = {}
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            calendar = icalendar.Calendar.from_ical(f.read())
        assert calendar.get("VERSION") == "2.0", path
        assert calendar.get("PRODID"), path
        zones = own_zones(calendar)
        events = [event(c, after, zones) for c in calendar.walk("VEVENT")]
        first_year = min((int(e["start"][:4]) for e in events), default=after.year)
        report[path] = {
            "events": events,
            "timezones": {
                tzid: mismatches(tzid, own, first_year) for tzid, own in zones.items()
            },
        }
    json.dump(report, sys.stdout)


main()
