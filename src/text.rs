//! Rules for text from content, shared by every stage: which characters no output may carry,
//! how a value is shown on a terminal or in a CI log, and when two titles are the same.

use std::borrow::Cow;
use std::io;

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter, PrettyFormatter};
use unicode_normalization::UnicodeNormalization;

/// A character no page, feed, calendar or JSON file may carry: control characters other than tab
/// and line breaks (XML 1.0 forbids the C0 ones outright, HTML calls all of them parse errors,
/// a terminal obeys them), and the noncharacters U+FFFE and U+FFFF, which XML forbids too.
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// The first forbidden character in `text`, with its byte offset.
pub fn first_forbidden(text: &str) -> Option<(usize, char)> {
    if !may_have_forbidden(text.as_bytes()) {
        return None;
    }
    text.char_indices().find(|(_, c)| is_forbidden(*c))
}

/// A quick look at the bytes: false when `text` certainly has no forbidden character. Forbidden
/// characters are ASCII controls, or start with 0xC2 (C1 controls) or 0xEF (U+FFFE, U+FFFF).
fn may_have_forbidden(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || matches!(b, 0x7F | 0xC2 | 0xEF)
    })
}

/// `text` with every forbidden character replaced by U+FFFD, for writers: validation rejects
/// them, and this makes sure none is ever written whatever reached the writer.
pub fn without_forbidden(text: String) -> String {
    if first_forbidden(&text).is_none() {
        return text;
    }
    text.chars()
        .map(|c| if is_forbidden(c) { '\u{FFFD}' } else { c })
        .collect()
}

/// `text` made safe for a terminal or a CI log: control characters (line breaks included, so no
/// value can start a line of its own, such as a forged `::error` annotation) and the invisible
/// marks that reorder text are shown as escapes, such as `\u{1b}` and `\n`.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || is_forbidden(c)
        // Bidirectional embeddings, overrides and isolates: they can make a line read differently
        // from what it says.
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` is a Default_Ignorable_Code_Point (Unicode's DerivedCoreProperties.txt): invisible
/// wherever it stands, such as zero-width spaces, joiners and variation selectors.
pub fn is_default_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

/// Whether a reader would see anything: some character that is neither white space, invisible,
/// nor a control character.
pub fn has_visible_text(text: &str) -> bool {
    text.chars()
        .any(|c| !c.is_whitespace() && !c.is_control() && !is_default_ignorable(c))
}

/// `text` on one line, as the text rules of every file with keys accept it (see
/// `parse::fields`): control characters and those no output may carry become spaces, each run of
/// white space one space; `None` when nothing a reader can see is left.
pub fn one_line(text: &str) -> Option<String> {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_control() || is_forbidden(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    (!words.is_empty() && has_visible_text(&cleaned)).then(|| words.join(" "))
}

/// What a title is to a reader, for telling duplicates apart: composed (NFC), without invisible
/// characters, in lower case, with each run of white space one space. "Café WG" written with a
/// combining accent, or with a zero-width space inside, is the same title.
pub fn title_key(title: &str) -> String {
    let visible: String = title
        .nfc()
        .filter(|c| !is_default_ignorable(*c))
        .collect::<String>()
        .to_lowercase();
    visible.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `value` as pretty-printed JSON that carries no forbidden character, not even escaped: each
/// becomes U+FFFD, as in every other output.
pub fn to_json_pretty<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut out, SafeJson(PrettyFormatter::new()));
    value
        .serialize(&mut serializer)
        .expect("plain data serialises");
    out
}

/// serde_json's pretty formatter, except that it writes U+FFFD for any forbidden character.
struct SafeJson<'a>(PrettyFormatter<'a>);

impl Formatter for SafeJson<'_> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // serde_json escapes the C0 controls itself (below); DEL, C1 and U+FFFE/FFFF it writes raw.
        match first_forbidden(fragment) {
            None => writer.write_all(fragment.as_bytes()),
            Some(_) => writer.write_all(without_forbidden(fragment.to_string()).as_bytes()),
        }
    }

    fn write_char_escape<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        let text: &[u8] = match escape {
            CharEscape::Quote => b"\\\"",
            CharEscape::ReverseSolidus => b"\\\\",
            CharEscape::Solidus => b"\\/",
            CharEscape::LineFeed => b"\\n",
            CharEscape::CarriageReturn => b"\\r",
            CharEscape::Tab => b"\\t",
            _ => "\u{FFFD}".as_bytes(),
        };
        writer.write_all(text)
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_keeps_only_what_a_reader_sees() {
        assert_eq!(
            one_line(" Fix\tthe\nflow ").as_deref(),
            Some("Fix the flow")
        );
        assert_eq!(one_line("a\u{1b}b\u{ffff}c").as_deref(), Some("a b c"));
        assert_eq!(one_line(" \t\n"), None);
        assert_eq!(one_line("\u{200b}\u{2060}"), None, "invisible only");
    }

    #[test]
    fn forbidden_characters_are_found_and_replaced() {
        for c in [
            '\0', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}', '\u{fffe}',
            '\u{ffff}',
        ] {
            assert!(is_forbidden(c), "{c:?}");
            let text = format!("a{c}é");
            assert_eq!(first_forbidden(&text), Some((1, c)));
            assert_eq!(without_forbidden(text), "a\u{FFFD}é");
        }
        for text in ["tab\there\r\n", "café ✓ \u{fe0f} \u{a0}", "\u{fffd}"] {
            assert_eq!(first_forbidden(text), None, "{text:?}");
        }
    }

    #[test]
    fn printable_escapes_what_a_terminal_would_obey() {
        assert_eq!(printable("Plain café"), "Plain café");
        assert_eq!(
            printable("x\n::error file=a::forged\u{1b}]0;title\u{7}\u{202e}"),
            "x\\n::error file=a::forged\\u{1b}]0;title\\u{7}\\u{202e}"
        );
    }

    #[test]
    fn titles_compare_as_a_reader_sees_them() {
        let composed = "Caf\u{e9} WG";
        let decomposed = "Cafe\u{301} WG";
        assert_ne!(composed, decomposed);
        assert_eq!(title_key(composed), title_key(decomposed));
        assert_eq!(title_key("Caf\u{200b}é  wg"), title_key(composed));
        assert_ne!(title_key("Cafe WG"), title_key(composed));
        assert!(!has_visible_text("\u{200b}\u{200d} \u{feff}\u{2060}"));
        assert!(has_visible_text("\u{200b}a"));
    }

    #[test]
    fn json_carries_no_forbidden_character_even_escaped() {
        let json =
            String::from_utf8(to_json_pretty(&["a\u{1b}b\u{7f}c\u{ffff}", "t\"\\\n\t"])).unwrap();
        assert_eq!(
            json,
            "[\n  \"a\u{FFFD}b\u{FFFD}c\u{FFFD}\",\n  \"t\\\"\\\\\\n\\t\"\n]"
        );
    }
}
