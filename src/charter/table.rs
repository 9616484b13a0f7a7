//! Markdown pipe tables under a `##` heading, as the charters write them.

use super::CharterError;

/// A table: its header cells, its rows' cells, and the line of each (1-based).
pub struct Table {
    /// The line of the header row.
    pub line: usize,
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

/// One row, with the line it is on.
pub struct Row<'a> {
    line: usize,
    cells: &'a [String],
}

/// The first table of the `## <heading>` section, if the text has that section and the section
/// has a table. Fenced code (the template shows itself in one) is not read.
pub fn section_table(text: &str, heading: &str) -> Result<Option<Table>, CharterError> {
    let mut in_fence = false;
    let mut in_section = false;
    let mut lines: Vec<(usize, &str)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if let Some(title) = trimmed.strip_prefix("## ") {
            if in_section {
                break;
            }
            in_section = title.trim().eq_ignore_ascii_case(heading);
            continue;
        }
        if trimmed.starts_with("# ") && in_section {
            break;
        }
        if !in_section {
            continue;
        }
        if trimmed.starts_with('|') {
            lines.push((i + 1, trimmed));
        } else if !lines.is_empty() {
            break;
        }
    }
    if lines.is_empty() {
        return Ok(None);
    }
    let (line, header) = (lines[0].0, cells(lines[0].1));
    let error = |line: usize, reason: String| CharterError { line, reason };
    let Some(&(delimiter_line, delimiter)) = lines.get(1) else {
        return Err(error(
            line,
            format!("the {heading} table has a header but no `| --- |` line under it"),
        ));
    };
    let delimiter = cells(delimiter);
    let is_rule = |c: &String| {
        let c = c.trim_matches(':');
        !c.is_empty() && c.chars().all(|ch| ch == '-')
    };
    if delimiter.len() != header.len() || !delimiter.iter().all(is_rule) {
        return Err(error(
            delimiter_line,
            format!(
                "the {heading} table's second line is not a `| --- |` line of {} columns",
                header.len()
            ),
        ));
    }
    let mut rows = Vec::new();
    for &(n, text) in &lines[2..] {
        let row = cells(text);
        if row.len() != header.len() {
            return Err(error(
                n,
                format!(
                    "a row of the {heading} table has {} cells, its header {}",
                    row.len(),
                    header.len()
                ),
            ));
        }
        // The template's blank row is a placeholder, not a person or a meeting.
        if row.iter().all(|c| clean(c).is_empty()) {
            continue;
        }
        rows.push((n, row));
    }
    Ok(Some(Table {
        line,
        header: header.iter().map(|h| clean(h)).collect(),
        rows,
    }))
}

/// The cells of a `| a | b |` line; an escaped bar stays inside its cell.
fn cells(line: &str) -> Vec<String> {
    let line = line.trim().replace("\\|", "\u{0}");
    let inner = line.strip_prefix('|').unwrap_or(&line);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner
        .split('|')
        .map(|c| c.trim().replace('\u{0}', "|"))
        .collect()
}

/// A cell as plain text: links give their text, emphasis and code marks are dropped.
fn clean(cell: &str) -> String {
    let mut out = String::new();
    let mut rest = cell;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        match after.find("](").and_then(|close| {
            let url = &after[close + 2..];
            url.find(')').map(|end| (close, end))
        }) {
            Some((close, end)) => {
                out.push_str(&rest[..open]);
                out.push_str(&after[..close]);
                rest = &after[close + 2 + end + 1..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let out = out.replace("**", "").replace("__", "").replace('`', "");
    let out = unescape(&out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Markdown's backslash escapes (`tadasant\_`) give the character alone.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && next.is_ascii_punctuation() => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

impl Table {
    /// The index of each named column; a missing one is an error naming it.
    pub fn columns<const N: usize>(&self, names: [&str; N]) -> Result<[usize; N], CharterError> {
        let mut found = [0; N];
        for (slot, name) in found.iter_mut().zip(names) {
            *slot = self.column(name).ok_or_else(|| CharterError {
                line: self.line,
                reason: format!(
                    "the table has no `{name}` column (its columns: {})",
                    self.header.join(", ")
                ),
            })?;
        }
        Ok(found)
    }

    /// The index of a column, its name compared without regard to case.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows
            .iter()
            .map(|(line, cells)| Row { line: *line, cells })
    }
}

impl Row<'_> {
    pub fn text(&self, column: usize) -> String {
        clean(&self.cells[column])
    }

    /// A cell that may be blank, a dash, or a placeholder ("TBD", "_TBD_" in italics): none.
    pub fn optional(&self, column: usize) -> Option<String> {
        let text = self.text(column);
        let placeholder = text.trim_matches(['_', '*']).eq_ignore_ascii_case("TBD");
        Some(text).filter(|t| !t.is_empty() && t != "-" && t != "—" && !placeholder)
    }

    pub fn error(&self, reason: &str) -> CharterError {
        CharterError {
            line: self.line,
            reason: reason.to_string(),
        }
    }

    /// A GitHub cell: `[@login](https://github.com/login)`, `@login` or `login`, or several of
    /// them separated by commas; blank is none.
    pub fn github(&self, column: usize) -> Result<Vec<String>, CharterError> {
        const PROFILE: &str = "https://github.com/";
        let raw = &self.cells[column];
        let logins: Vec<String> = if raw.contains(PROFILE) {
            raw.split(PROFILE)
                .skip(1)
                .map(|rest| rest.split([')', '/', '?', '#']).next().unwrap_or_default())
                .map(str::to_string)
                .collect()
        } else {
            self.text(column)
                .split([',', ' '])
                .map(|w| w.trim().trim_start_matches('@').to_string())
                .filter(|w| !w.is_empty() && w != "-" && w != "—")
                .collect()
        };
        for login in &logins {
            let valid = !login.is_empty()
                && login.len() <= 39
                && !login.starts_with('-')
                && login.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !valid {
                return Err(self.error(&format!("`{login}` is not a GitHub user name")));
            }
        }
        Ok(logins)
    }
}
