//! The people of a group file as its charter records them: a GitHub user name checked once for
//! leads, maintainers and members, and the `members` list.

use crate::parse::fields::Fields;
use crate::people::Member;

/// A GitHub user name, `@` allowed and dropped; one that cannot be a user name is reported.
pub fn github(value: Option<String>, path: &str, cx: &mut Fields<'_>) -> Option<String> {
    let handle = value.map(|g| g.trim().trim_start_matches('@').to_string())?;
    let key = format!("{path}.github");
    if cx.spans.is_broken(&key) {
        return Some(handle);
    }
    let valid = !handle.is_empty()
        && handle.len() <= 39
        && !handle.starts_with('-')
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid {
        cx.error(
            &key,
            format!("`{handle}` is not a GitHub user name"),
            "write the user name alone, such as \"octocat\", not an address",
        );
    }
    Some(handle)
}

/// The `members` list: each with a name, its optional fields as visible text, and no one twice.
pub fn members(list: Vec<Member>, cx: &mut Fields<'_>) -> Vec<Member> {
    let mut members: Vec<Member> = Vec::new();
    for (i, member) in list.into_iter().enumerate() {
        let path = format!("members[{i}]");
        let Some(name) = cx.text(Some(member.name), &format!("{path}.name")) else {
            continue;
        };
        if members.iter().any(|m| m.name == name) {
            cx.error(
                &format!("{path}.name"),
                format!("`{name}` is listed twice in `members`"),
                "list each member once, at their current level",
            );
            continue;
        }
        members.push(Member {
            github: github(member.github, &path, cx),
            organization: cx.text(member.organization, &format!("{path}.organization")),
            discord: cx.text(member.discord, &format!("{path}.discord")),
            level: member.level,
            name,
        });
    }
    members
}
