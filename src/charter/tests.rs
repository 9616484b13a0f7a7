//! The parser on the bundled groups' charters: each fixture is a charter's tables copied
//! verbatim, its first line naming the repository, path and commit it came from.

use super::*;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../tests/fixtures/charters/", $name, ".mdx"))
    };
}

fn names(leads: &[Lead]) -> Vec<(&str, &str, Option<&str>)> {
    leads
        .iter()
        .map(|l| (l.role.as_str(), l.name.as_str(), l.organization.as_deref()))
        .collect()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn mcp_apps_two_leads_twelve_members_two_meetings() {
    let charter = parse(fixture!("mcp-apps")).unwrap();
    assert_eq!(
        names(&charter.leads),
        [
            ("Lead", "Ido Salomon", Some("MCP-UI")),
            ("Lead", "Liad Yosef", Some("MCP-UI / Ora")),
        ]
    );
    assert_eq!(charter.leads[0].github, ["idosal"]);
    assert_eq!(charter.leads[0].term.as_deref(), Some("Initial"));
    assert_eq!(charter.members.len(), 12);
    let olivier = &charter.members[2];
    assert_eq!(
        (
            olivier.name.as_str(),
            olivier.level,
            olivier.github.as_slice()
        ),
        (
            "Olivier Chafik",
            Level::Member,
            &["ochafik".to_string()][..]
        )
    );
    assert_eq!(charter.members[0].level, Level::Lead);
    assert_eq!(charter.members[6].level, Level::Participant);
    assert_eq!(
        charter.members[11].organization, None,
        "a blank cell is none"
    );
    let [working, office] = charter.meetings.as_slice() else {
        panic!("{:?}", charter.meetings)
    };
    assert_eq!(working.cadence(), Some(Cadence::EveryWeeks(3)));
    assert_eq!(working.day(), Some(chrono::Weekday::Wed));
    assert_eq!(working.minutes(), Some(60));
    assert_eq!(office.cadence(), Some(Cadence::Monthly));
    assert_eq!(office.minutes(), Some(30));
    assert_eq!(charter.changed.unwrap().date, date("2026-07-26"));
}

#[test]
fn files_four_leads_and_the_consolidation_date() {
    let charter = parse(fixture!("files")).unwrap();
    assert_eq!(charter.leads.len(), 4);
    assert_eq!(charter.leads[3].github, ["DanielTemesgen"]);
    assert_eq!(charter.members.len(), 3);
    assert!(charter.members.iter().all(|m| m.level == Level::Member));
    assert_eq!(charter.meetings[0].cadence(), Some(Cadence::EveryWeeks(2)));
    assert_eq!(charter.meetings[0].minutes(), Some(60));
    let changed = charter.changed.unwrap();
    assert_eq!(changed.date, date("2026-09-23"));
    assert!(changed.what.starts_with("Consolidated"), "{}", changed.what);
}

#[test]
fn filesystems_a_member_with_a_discord_name() {
    let charter = parse(fixture!("filesystems")).unwrap();
    assert_eq!(charter.leads.len(), 2);
    assert_eq!(charter.members[0].discord.as_deref(), Some("dtemesgen"));
    assert_eq!(charter.changed.unwrap().date, date("2026-08-24"));
}

#[test]
fn registry_six_columns_and_an_emeritus_table() {
    let charter = parse(fixture!("registry")).unwrap();
    assert_eq!(
        names(&charter.leads),
        [("Lead", "Radoslav Dimitrov", Some("Stacklok"))]
    );
    let levels: Vec<(&str, Level)> = charter
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.level))
        .collect();
    assert_eq!(
        levels,
        [
            ("Tadas Antanavicius", Level::Member),
            ("Radoslav Dimitrov", Level::Lead),
            ("Bob Dickinson", Level::Member),
            ("Preeti Dewani", Level::Member),
            ("Adam Jones", Level::Emeritus),
            ("Toby Padilla", Level::Emeritus),
        ]
    );
    assert_eq!(
        charter.members[0].discord.as_deref(),
        Some("tadasant_"),
        "Markdown's escape is undone"
    );
    assert_eq!(charter.meetings[0].cadence(), Some(Cadence::EveryWeeks(1)));
    assert_eq!(charter.meetings[0].minutes(), Some(30));
    assert_eq!(charter.changed.unwrap().date, date("2026-07-30"));
}

#[test]
fn enterprise_unpadded_tables_facilitators_and_a_term_without_an_end() {
    let charter = parse(fixture!("enterprise-ig")).unwrap();
    assert_eq!(charter.leads[0].role, "Facilitator");
    assert_eq!(charter.leads[1].name, "Yannj_Fr");
    assert_eq!(charter.leads[0].term.as_deref(), Some("6 months"));
    assert_eq!(term_end("6 months"), None, "no end is guessed");
    assert_eq!(charter.members.len(), 13);
    assert_eq!(charter.members[0].level, Level::Lead);
    assert_eq!(
        charter.members[4].organization.as_deref(),
        Some("Independent Researcher; Blue Shield of California")
    );
    assert_eq!(charter.meetings[0].cadence(), Some(Cadence::Monthly));
    assert_eq!(charter.changed.unwrap().date, date("2026-04-13"));
}

#[test]
fn a_charter_without_tables_is_an_error_not_a_guess() {
    let error = parse(fixture!("transports-no-tables")).unwrap_err();
    assert!(
        error.reason.contains("no `## Leadership` section"),
        "{error}"
    );
}

#[test]
fn the_template_itself_has_no_tables_outside_its_code_block() {
    let text = "## Template\n\n```mdx\n## Leadership\n\n| Role | Name | Organization | GitHub | Term |\n| ---- | ---- | ------------ | ------ | ---- |\n| Lead | A | B | C | D |\n```\n";
    assert!(parse(text).is_err());
}

#[test]
fn malformed_tables_are_errors_that_say_why_and_where() {
    let lead = "## Leadership\n\n| Role | Name | Organization | GitHub | Term |\n| ---- | ---- | ------------ | ------ | ---- |\n| Lead | Ada | Org | [@ada](https://github.com/ada) | Initial |\n";
    assert!(parse(lead).is_ok());
    let cases = [
        (lead.replace("| Term |", "| Since |"), 3, "no `Term` column"),
        (
            lead.replace("| Initial |", "|"),
            5,
            "has 4 cells, its header 5",
        ),
        (
            lead.replace("| ---- | ---- | ------------ | ------ | ---- |\n", ""),
            4,
            "second line is not a `| --- |` line",
        ),
        (
            format!(
                "{lead}\n## Membership\n\n| Name | Organization | GitHub | Discord | Level |\n| - | - | - | - | - |\n| Bo | | | | Chair |\n"
            ),
            11,
            "`Chair` is not a participation level",
        ),
        (
            format!(
                "{lead}\n## Changelog\n\n| Date | Change |\n| - | - |\n| June 2026 | Initial charter |\n"
            ),
            11,
            "`June 2026` is not a date",
        ),
        (
            lead.replace("[@ada](https://github.com/ada)", "ada lovelace!"),
            5,
            "is not a GitHub user name",
        ),
    ];
    for (text, line, reason) in cases {
        let error = parse(&text).unwrap_err();
        assert_eq!(error.line, line, "{error}\n{text}");
        assert!(error.reason.contains(reason), "{error}\n{text}");
    }
}

#[test]
fn a_github_cell_may_name_several_accounts() {
    let text = "## Leadership\n\n| Role | Name | Organization | GitHub | Term |\n| - | - | - | - | - |\n| Lead | David Soria Parra (DSP) | Anthropic | [@dsp](https://github.com/dsp), [@dsp-ant](https://github.com/dsp-ant) | Initial |\n";
    assert_eq!(parse(text).unwrap().leads[0].github, ["dsp", "dsp-ant"]);
}

#[test]
fn terms_end_only_where_they_say_so() {
    assert_eq!(
        term_end("6 months (ends Aug 14, 2026)"),
        Some(date("2026-08-14"))
    );
    assert_eq!(
        term_end("2025-07-01 – 2026-06-30"),
        Some(date("2026-06-30"))
    );
    assert_eq!(term_end("until 2027-01-31"), Some(date("2027-01-31")));
    assert_eq!(term_end("since 2026-01-01"), None);
    assert_eq!(term_end("Initial"), None);
    assert_eq!(term_end("NTE 1-year"), None);
}

#[test]
fn frequencies_and_durations_in_the_charters_words() {
    let row = |f: &str, d: &str| MeetingRow {
        meeting: "Working Session".into(),
        frequency: f.into(),
        duration: d.into(),
    };
    assert_eq!(
        row("Every 2 weeks", "45 min").cadence(),
        Some(Cadence::EveryWeeks(2))
    );
    assert_eq!(row("Bi-weekly", "").cadence(), Some(Cadence::EveryWeeks(2)));
    assert_eq!(
        row("Weekly, Wednesdays 11:00 America/New_York", "").cadence(),
        Some(Cadence::EveryWeeks(1))
    );
    assert_eq!(
        row("Weekly, Wednesdays 11:00", "").day(),
        Some(chrono::Weekday::Wed)
    );
    assert_eq!(row("Weekly (Tuesdays)", "1 hour").minutes(), Some(60));
    assert_eq!(row("TBD", "TBD").cadence(), None);
    assert_eq!(row("As needed initially", "To be agreed").minutes(), None);
    assert_eq!(row("Monthly", "n/a").minutes(), None);
}

#[test]
fn interest_groups_with_open_membership_have_leads_and_no_members() {
    for (charter, organizations) in [
        (
            parse(fixture!("auth")).unwrap(),
            &["Okta", "Amazon", "Anthropic"][..],
        ),
        (
            parse(fixture!("enterprise-managed-authorization")).unwrap(),
            &["Anthropic", "Okta"][..],
        ),
    ] {
        let found: Vec<_> = charter
            .leads
            .iter()
            .map(|l| l.organization.as_deref().unwrap())
            .collect();
        assert_eq!(found, organizations);
        assert!(charter.members.is_empty(), "Membership is prose");
        assert_eq!(charter.meetings[0].cadence(), Some(Cadence::EveryWeeks(2)));
        assert_eq!(charter.meetings[0].minutes(), Some(45));
    }
}

#[test]
fn financial_services_placeholders_are_none() {
    let charter = parse(fixture!("financial-services")).unwrap();
    assert_eq!(charter.members.len(), 3);
    assert_eq!(charter.members[0].discord, None, "`_TBD_` is no name");
    assert_eq!(charter.members[2].discord.as_deref(), Some("kychooo"));
    assert_eq!(charter.meetings[0].minutes(), Some(60));
}

#[test]
fn progressive_disclosure_leadership_has_maintainer_roles() {
    let charter = parse(fixture!("progressive-disclosure")).unwrap();
    let roles: Vec<_> = charter.leads.iter().map(|l| l.role.as_str()).collect();
    assert_eq!(
        roles,
        [
            "Facilitator",
            "Facilitator",
            "Maintainer",
            "Core Maintainer"
        ]
    );
    assert_eq!(charter.meetings[0].minutes(), None, "TBD");
    assert_eq!(
        charter.changed.unwrap().date,
        date("2026-09-21"),
        "the rename is the newest change"
    );
}

#[test]
fn scientific_computation_a_dash_is_no_organization() {
    let charter = parse(fixture!("scientific-computation")).unwrap();
    assert_eq!(
        names(&charter.leads),
        [("Facilitator", "Cory Kinney", None)]
    );
    assert_eq!(charter.meetings[0].cadence(), None);
}

#[test]
fn sdk_biweekly_and_security_monthly_with_a_digest() {
    let sdk = parse(fixture!("sdk")).unwrap();
    assert_eq!(sdk.meetings[0].cadence(), Some(Cadence::EveryWeeks(2)));
    assert_eq!(sdk.meetings[0].minutes(), Some(45));
    let security = parse(fixture!("security")).unwrap();
    let [call, digest] = security.meetings.as_slice() else {
        panic!("{:?}", security.meetings)
    };
    assert_eq!(call.cadence(), Some(Cadence::Monthly));
    assert_eq!((call.minutes(), digest.minutes()), (Some(45), None));
    assert_eq!(security.members[3].discord.as_deref(), Some("ostefano."));
    assert_eq!(security.changed.unwrap().date, date("2026-08-26"));
}

#[test]
fn server_card_terms_end_on_the_day_they_name() {
    let charter = parse(fixture!("server-card")).unwrap();
    for lead in &charter.leads {
        assert_eq!(
            term_end(lead.term.as_deref().unwrap()),
            Some(date("2026-08-14"))
        );
    }
    assert_eq!(charter.members[2].organization, None);
    assert_eq!(charter.members[2].level, Level::Member);
}

#[test]
fn skills_over_mcp_eighteen_members_and_tool_annotations_facilitator_level() {
    let skills = parse(fixture!("skills-over-mcp")).unwrap();
    assert_eq!(skills.members.len(), 18);
    assert_eq!(
        skills.meetings[0].day(),
        Some(chrono::Weekday::Tue),
        "Weekly (Tuesdays)"
    );
    assert_eq!(skills.meetings[0].minutes(), Some(60));
    let annotations = parse(fixture!("tool-annotations")).unwrap();
    let levels: Vec<_> = annotations.members.iter().map(|m| m.level).collect();
    assert_eq!(levels, [Level::Lead, Level::Lead, Level::Participant]);
}
