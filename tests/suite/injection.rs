//! Script injection: every string a contributor writes ends up in HTML that cannot run script.
//! The built pages are parsed as a browser would (html5ever, through scraper), not searched as text.

use crate::common;

use common::{BASE_URL, Site, elements, html_files, live_script, live_script_in_page};

#[test]
fn the_checker_finds_live_script() {
    for bad in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=' &#x0A;jav&#x09;ascript:alert(1)'>x</a>",
        "<a href='&#106;avascript:alert(1)'>x</a>",
        "<a href='DATA:text/html,x'>x</a>",
        "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
        "<iframe srcdoc='x'></iframe>",
        "<form><button formaction='javascript:alert(1)'>x</button></form>",
        "<meta http-equiv=Refresh content='0;url=x'>",
        "<base href=//x>",
        "<template><img src=x onerror=alert(1)></template>",
        "<script src=https://evil.example/x.js></script>",
        "<p style='color:red'>x</p>",
        "<img srcset='/a.png 1x, javascript:alert(1) 2x'>",
        "<svg><animate attributeName=href values='/a;javascript:alert(1)'/></svg>",
    ] {
        assert!(!live_script(bad).is_empty(), "missed {bad}");
    }
    let theme_form = "<form class=filters role=search><input name=q></form>";
    assert!(live_script_in_page(theme_form).is_empty());
    assert!(!live_script(theme_form).is_empty());
    for bad in [
        "<div class=prose><form><input name=password></form></div>",
        "<form action=https://evil.example/><input name=q></form>",
    ] {
        assert!(!live_script_in_page(bad).is_empty(), "missed {bad}");
    }
    for good in [
        "<script src=/app.js></script>",
        "<a href=https://x.org/ rel=noopener>x</a> <img src=/a.png>",
        "<a href=',javascript:'>a relative path</a>",
        "<script type=application/json>{\"a\":\"\\u003c\"}</script>",
    ] {
        assert!(live_script(good).is_empty(), "flagged {good}");
    }
}

#[test]
fn a_site_full_of_payloads_builds_without_live_script() {
    let site = Site::fixture("hostile-injection");
    site.build().base_url(BASE_URL).run().expect(0);
    let pages = html_files(&site.root().join("public"));
    assert!(pages.len() >= 5, "{pages:?}");
    for (path, html) in &pages {
        let problems = live_script_in_page(html);
        assert!(problems.is_empty(), "{}: {problems:#?}", path.display());
    }
}

#[test]
fn front_matter_strings_are_shown_as_text() {
    let site = Site::fixture("hostile-injection");
    site.build().base_url(BASE_URL).run().expect(0);
    let page = site.read("public/groups/front-matter/index.html");
    let h1 = elements(&page, "h1");
    assert_eq!(h1[0].1, "<img src=x onerror=alert(1)>");
    let code = elements(&page, "code");
    assert_eq!(code[0].1, "</code><script>alert(1)</script>");
    let links: Vec<_> = elements(&page, "a")
        .into_iter()
        .map(|(attrs, _)| attrs)
        .collect();
    let href = |want: &str| {
        links
            .iter()
            .flatten()
            .any(|(k, v)| k == "href" && v == want)
    };
    assert!(href(
        "https://example.org/notes?q=\"><script>alert(1)</script>"
    ));
    assert!(href("HTTPS://Example.org/cal'onmouseover='alert(1)"));
    assert!(href("https://example.org/a\"onclick=\"alert(1)"));

    let rogue = site.read("public/rogue/index.html");
    assert!(
        elements(&rogue, "title")[0]
            .1
            .starts_with("</title><script>alert(1)</script>")
    );
    let description = elements(&rogue, "meta")
        .into_iter()
        .find(|(attrs, _)| attrs.iter().any(|(k, v)| k == "name" && v == "description"))
        .expect("description");
    assert!(description.0.contains(&(
        "content".to_string(),
        "\"><script>alert(1)</script>".to_string()
    )));

    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/groups.json")).expect("groups.json parses");
    let titles: Vec<_> = json["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["title"].as_str().expect("title"))
        .collect();
    assert!(
        titles.contains(&"<img src=x onerror=alert(1)>"),
        "{titles:?}"
    );
}

#[test]
fn bodies_keep_what_content_needs() {
    let site = Site::fixture("hostile-injection");
    site.build().base_url(BASE_URL).run().expect(0);
    let page = site.read("public/groups/payloads/index.html");
    let attr = |attrs: &[(String, String)], name: &str| {
        attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let headings = elements(&page, "h1");
    assert!(
        headings
            .iter()
            .any(|(a, _)| attr(a, "id").as_deref() == Some("safe"))
    );
    assert_eq!(elements(&page, "table").len(), 1);
    // The theme's own menu is a <details> too: the body's is the one that says "More".
    assert!(
        elements(&page, "summary")
            .iter()
            .any(|(_, text)| text == "More")
    );
    assert!(!elements(&page, "details").is_empty());
    let boxes = elements(&page, "input");
    assert!(boxes.len() >= 2);
    for (attrs, _) in &boxes {
        assert!(attr(attrs, "disabled").is_some(), "{attrs:?}");
    }
    let images: Vec<_> = elements(&page, "img")
        .iter()
        .filter_map(|(a, _)| attr(a, "src"))
        .collect();
    assert!(images.contains(&"https://example.org/logo.png".to_string()));
    assert!(images.contains(&"/favicon.svg".to_string()));
    let links = elements(&page, "a");
    let rel_of = |text: &str| {
        let (attrs, _) = links.iter().find(|(_, t)| t == text).expect(text);
        attr(attrs, "rel")
    };
    assert_eq!(rel_of("outside").as_deref(), Some("noopener noreferrer"));
    assert_eq!(rel_of("click").as_deref(), Some("noopener noreferrer"));
    assert_eq!(rel_of("inside"), None);
    assert_eq!(rel_of("anchor"), None);
    assert!(page.contains("footnote-definition"));
}

/// `text` as a TOML basic string, with control characters as `\uXXXX` escapes.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes a group whose `key` holds `url` and returns what `check` said about it.
fn check_url(key: &str, url: &str) -> (Site, common::Run) {
    let site = Site::new();
    let toml_url = toml_string(url);
    let text = match key {
        "meetings.notes" => common::group(
            "Links",
            &format!("[meetings]\nevery_weeks = 1\nnotes = {toml_url}\n"),
            "",
        ),
        "activity.link" => common::group(
            "Links",
            &format!("[[activity]]\ndate = 2026-11-01\nwhat = \"x\"\nlink = {toml_url}\n"),
            "",
        ),
        _ => format!(
            "+++\ntitle = \"Links\"\nkind = \"working-group\"\nstatus = \"active\"\n\
             summary = \"A group.\"\nlast_activity = 2026-11-01\n\
             facilitators = [{{ name = \"Ada\" }}]\nuse_cases = \"x\"\n\
             first_deliverable = {{ title = \"SEP\", link = {toml_url} }}\n+++\n"
        ),
    };
    site.write("content/groups/links.md", text);
    let run = site.build().run();
    (site, run)
}

#[test]
fn front_matter_urls_must_be_web_addresses() {
    let hostile = [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)",
        "java\tscript:alert(1)",
        "\njavascript:alert(1)",
        "&#106;avascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "/relative",
        "https://example.org/\u{0}",
        "https://example.org/\u{1b}[31mred",
        "https://example.org/a b",
        "https://example.org/\u{7f}",
        "https://example.org/\u{85}x",
    ];
    for key in ["meetings.notes", "activity.link", "first_deliverable.link"] {
        for url in hostile {
            let (_site, run) = check_url(key, url);
            let stderr = run.expect(1);
            assert!(
                stderr.contains("content/groups/links.md:")
                    && stderr.contains("is not a web address"),
                "{key} = {url:?}: {stderr}"
            );
            assert!(
                !stderr.contains(['\u{0}', '\u{1b}']),
                "raw control characters: {stderr:?}"
            );
        }
    }
}

#[test]
fn web_addresses_are_accepted_in_any_case_and_trimmed() {
    for (url, href) in [
        ("HTTPS://Example.org/x", "HTTPS://Example.org/x"),
        ("  https://example.org/t  ", "https://example.org/t"),
        ("Http://example.org/", "Http://example.org/"),
    ] {
        let (site, run) = check_url("activity.link", url);
        run.expect(0);
        let page = site.read("public/groups/links/index.html");
        let link = elements(&page, "a")
            .into_iter()
            .find(|(_, text)| text == "x");
        let (attrs, _) = link.expect("the activity link");
        assert!(
            attrs.contains(&("href".to_string(), href.to_string())),
            "{attrs:?}"
        );
    }
}

/// The feed and sitemap carry the same strings: they must stay well-formed XML, with the payloads
/// as text and no element or attribute a reader could run.
#[test]
fn xml_outputs_stay_well_formed_with_payloads_as_text() {
    use quick_xml::Reader;
    use quick_xml::events::Event;

    let site = Site::fixture("hostile-injection");
    // The feed and the sitemap need the site's address.
    let base_url = "https://hostile.example.org/";
    site.build().base_url(base_url).run().expect(0);
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(site.root().join("public")) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_none_or(|x| x != "xml") {
            continue;
        }
        let xml = std::fs::read_to_string(entry.path()).expect("read xml");
        let mut reader = Reader::from_str(&xml);
        loop {
            match reader.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) => {
                    let name = e.local_name().into_inner().to_lowercase();
                    assert!(
                        !["script", "iframe", "object", "embed"].contains(&name.as_str()),
                        "<{name}> in {}",
                        entry.path().display()
                    );
                    for attribute in e.attributes() {
                        let attribute = attribute.expect("well-formed attribute");
                        let key = attribute.key.local_name().into_inner().to_lowercase();
                        let value = attribute
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .expect("entities")
                            .to_lowercase();
                        assert!(
                            !key.starts_with("on"),
                            "{key} in {}",
                            entry.path().display()
                        );
                        assert!(
                            !value.trim().starts_with("javascript:"),
                            "{key}={value} in {}",
                            entry.path().display()
                        );
                    }
                }
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{} is not well-formed: {e}", entry.path().display()),
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 2, "the feed and the sitemap");
    let feed = site.read("public/feed.xml");
    assert!(
        feed.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{feed}"
    );
}
