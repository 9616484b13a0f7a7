//! The rules of a group file that depend on its kind and status: what a retired group says,
//! what an active one needs, the keys that belong to one kind only.

use chrono::NaiveDate;

use super::Context;
use crate::model::{Activity, Deliverable, Kind, KindFields, Link, Retirement, Slug, Status};

/// A retired group says why; it gives the day only when a record has it, since a guessed day
/// would be shown, and put in the feed, as fact.
pub(super) fn retirement(
    status: Status,
    retired: Option<NaiveDate>,
    reason: Option<String>,
    cx: &mut Context<'_>,
) -> Option<Retirement> {
    match status {
        Status::Retired => {
            let reason = cx.require_by(
                reason,
                "retired_reason",
                "status",
                "a retired group needs a `retired_reason`".to_string(),
                "add `retired_reason = \"…\"`: why it was retired, such as the group that took over its work; add `retired = YYYY-MM-DD` too if a record gives the day",
            )?;
            Some(Retirement {
                date: retired,
                reason,
            })
        }
        _ => {
            for key in ["retired", "retired_reason"] {
                if cx.spans.has(key) {
                    cx.error(
                        key,
                        format!("`{key}` is set but the status is not \"retired\""),
                        "set `status = \"retired\"`, or remove the key",
                    );
                }
            }
            None
        }
    }
}

pub(super) fn status_rules(
    status: Status,
    last_activity: Option<NaiveDate>,
    activity: &[Activity],
    cx: &mut Context<'_>,
) {
    if status == Status::Proposed {
        return;
    }
    // A date that is present but invalid has been reported already: saying it is missing too
    // would send the contributor looking for the wrong mistake.
    let written = |key: &str| cx.spans.has(key) || cx.spans.is_broken(key);
    if last_activity.is_none()
        && activity.is_empty()
        && !written("last_activity")
        && !written("activity")
    {
        cx.error(
            "status",
            "an active or retired group needs a last-activity date",
            "add `last_activity = YYYY-MM-DD`, or an [[activity]] entry with `date` and `what`",
        );
    }
}

/// The seed expects of an interest group "regular conversations in the Interest Group Discord
/// channel AND/OR a recurring live meeting". Only active groups: a proposal's channel is made once
/// the vote passes, and a retired group no longer meets.
pub(super) fn interest_group_venue(slug: &Slug, has_venue: bool, cx: &mut Context<'_>) {
    // A channel or meeting that is written but broken was reported where it is written.
    let written = |key: &str| cx.spans.has(key) || cx.spans.is_broken(key);
    if has_venue || written("discord") || written("meetings") {
        return;
    }
    cx.error(
        "status",
        "an active interest group needs a Discord channel or a recurring meeting",
        format!("add `discord = \"#{slug}-ig\"` (the channel where the group talks) or a [meetings] table with `every_weeks`; a group still waiting for its vote is `status = \"proposed\"`"),
    );
}

/// The keys that belong to one kind only, gathered before the kind is known to be valid.
pub(super) struct KindKeys {
    pub(super) differentiation: Option<String>,
    pub(super) first_topic: Option<String>,
    pub(super) use_cases: Option<String>,
    pub(super) origin_group: Option<String>,
    pub(super) first_deliverable: Option<Link>,
    pub(super) deliverables: Vec<Deliverable>,
    pub(super) has_related: bool,
}

pub(super) fn kind_fields(kind: Kind, keys: KindKeys, cx: &mut Context<'_>) -> Option<KindFields> {
    let (own, other): (&[&str], &[&str]) = match kind {
        Kind::InterestGroup => (
            &["differentiation", "first_topic"],
            &[
                "use_cases",
                "origin_group",
                "first_deliverable",
                "deliverables",
            ],
        ),
        Kind::WorkingGroup => (
            &[
                "use_cases",
                "origin_group",
                "first_deliverable",
                "deliverables",
            ],
            &["differentiation", "first_topic"],
        ),
    };
    for key in other {
        if cx.spans.has(key) {
            cx.error(
                key,
                format!(
                    "`{key}` is for {}s, but this is {}",
                    other_kind(kind),
                    article(kind)
                ),
                format!("the {} keys are: {}", kind.abbreviation(), own.join(", ")),
            );
        }
    }
    match kind {
        Kind::InterestGroup => {
            let first_topic = cx.require_by(
                keys.first_topic,
                "first_topic",
                "kind",
                "an interest group needs `first_topic`".to_string(),
                "add `first_topic = \"…\"`: the first topic the group will discuss",
            );
            let differentiation = cx.text(keys.differentiation, "differentiation");
            if keys.has_related && differentiation.is_none() && !cx.spans.has("differentiation") {
                cx.error(
                    "related",
                    "an interest group with related groups must say how it differs from them",
                    "add `differentiation = \"…\"`",
                );
            }
            Some(KindFields::Interest {
                differentiation,
                first_topic: cx.text(first_topic, "first_topic")?,
            })
        }
        Kind::WorkingGroup => {
            let use_cases = cx.require_by(
                keys.use_cases,
                "use_cases",
                "kind",
                "a working group needs `use_cases`".to_string(),
                "add `use_cases = \"…\"`: why the group exists, ideally from an IG's discussions",
            );
            let first_deliverable = cx.require_by(
                keys.first_deliverable,
                "first_deliverable",
                "kind",
                "a working group needs `first_deliverable`".to_string(),
                "add `first_deliverable = { title = \"SEP-…\", link = \"https://…\" }`: its first issue, PR or SEP",
            );
            let origin_group = keys.origin_group.and_then(|raw| match Slug::parse(&raw) {
                Ok(slug) => Some(slug),
                Err(message) => {
                    cx.error(
                        "origin_group",
                        message,
                        "name the interest group by its file name without `.md`",
                    );
                    None
                }
            });
            let first_deliverable = first_deliverable.and_then(|link| {
                let title = cx.text(Some(link.title), "first_deliverable.title")?;
                let url = cx.url(link.link, "first_deliverable.link");
                Some(Link { title, link: url })
            });
            let mut deliverables = Vec::new();
            for (i, d) in keys.deliverables.into_iter().enumerate() {
                let path = format!("deliverables[{i}]");
                let title = cx.text(Some(d.title), &format!("{path}.title"));
                let link = cx.url(d.link, &format!("{path}.link"));
                if let Some(title) = title {
                    deliverables.push(Deliverable {
                        title,
                        link,
                        status: d.status,
                    });
                }
            }
            Some(KindFields::Working {
                use_cases: cx.text(use_cases, "use_cases")?,
                origin_group,
                first_deliverable: first_deliverable?,
                deliverables,
            })
        }
    }
}

pub(super) fn other_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::InterestGroup => "working group",
        Kind::WorkingGroup => "interest group",
    }
}

pub(super) fn article(kind: Kind) -> &'static str {
    match kind {
        Kind::InterestGroup => "an interest group",
        Kind::WorkingGroup => "a working group",
    }
}
