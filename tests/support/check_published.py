"""Reads what a build publishes for machines with third-party parsers and prints what they made
of it, for the Rust test to judge.

Usage: check_published.py SITE_DIR
Prints one JSON object:
- "feed": feed.xml read by feedparser (null when there is none): whether it is well-formed
  ("bozo" and why), the feed's id and links, and each entry's id, link, title and updated;
- "sitemap": sitemap.xml read by the standard library's XML parser (null when there is none):
  the root element and every <loc>;
- "schemas": each schema's "$id", and the errors of groups.json against groups.schema.json by
  the jsonschema package (draft 2020-12, formats checked), found through a registry of the
  schemas by their "$id", as a client that follows the ids would.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

import feedparser
import jsonschema
from referencing import Registry, Resource

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def feed(site):
    path = os.path.join(site, "feed.xml")
    if not os.path.exists(path):
        return None
    parsed = feedparser.parse(path)
    return {
        "bozo": bool(parsed.bozo),
        "bozo_exception": str(parsed.get("bozo_exception", "")),
        "version": parsed.version,
        "id": parsed.feed.get("id"),
        "links": [link["href"] for link in parsed.feed.get("links", [])],
        "entries": [
            {
                "id": e.get("id"),
                "link": e.get("link"),
                "title": e.get("title"),
                "updated": e.get("updated"),
            }
            for e in parsed.entries
        ],
    }


def sitemap(site):
    path = os.path.join(site, "sitemap.xml")
    if not os.path.exists(path):
        return None
    root = ET.parse(path).getroot()
    return {
        "root": root.tag,
        "locs": [loc.text for loc in root.iter(SITEMAP_NS + "loc")],
    }


def schemas(site):
    def load(name):
        with open(os.path.join(site, "schema", name), encoding="utf-8") as f:
            return json.load(f)

    group, groups = load("group.schema.json"), load("groups.schema.json")
    with open(os.path.join(site, "groups.json"), encoding="utf-8") as f:
        directory = json.load(f)
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema))
        for schema in (group, groups)
        if "$id" in schema
    )
    validator = jsonschema.Draft202012Validator(
        groups, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    jsonschema.Draft202012Validator.check_schema(group)
    jsonschema.Draft202012Validator.check_schema(groups)
    return {
        "ids": {"group": group.get("$id"), "groups": groups.get("$id")},
        "groups_json_errors": [e.message for e in validator.iter_errors(directory)],
    }


site = sys.argv[1]
json.dump({"feed": feed(site), "sitemap": sitemap(site), "schemas": schemas(site)}, sys.stdout)
