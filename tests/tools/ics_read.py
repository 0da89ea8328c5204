"""Reads an iCalendar file with the `icalendar` package (nobody here wrote it) and
prints what a calendar program would take from it, as JSON: the calendar's name and
time zones, and each event's UID, sequence, start (with its zone), end, summary,
location, URL, description and status. A file it cannot parse fails the test."""
import json
import sys

import icalendar

with open(sys.argv[1], "rb") as f:
    cal = icalendar.Calendar.from_ical(f.read())


def when(prop):
    if prop is None:
        return None
    value = prop.dt
    tz = getattr(getattr(value, "tzinfo", None), "key", None) or (
        str(value.tzinfo) if getattr(value, "tzinfo", None) else None
    )
    return {"value": value.isoformat(), "tz": tz, "utc_offset": value.utcoffset().total_seconds() if tz else None}


events = []
for e in cal.walk("VEVENT"):
    events.append(
        {
            "uid": str(e.get("UID")),
            "sequence": int(e.get("SEQUENCE", 0)),
            "start": when(e.get("DTSTART")),
            "end": when(e.get("DTEND")),
            "summary": str(e.get("SUMMARY", "")),
            "location": str(e.get("LOCATION")) if e.get("LOCATION") is not None else None,
            "url": str(e.get("URL")) if e.get("URL") is not None else None,
            "description": str(e.get("DESCRIPTION", "")),
            "status": str(e.get("STATUS", "")),
        }
    )
print(
    json.dumps(
        {
            "name": str(cal.get("X-WR-CALNAME", "")),
            "timezones": [str(tz.get("TZID")) for tz in cal.walk("VTIMEZONE")],
            "events": events,
        },
        ensure_ascii=False,
    )
)
