//! Command lines shown to the user: one quoting rule for every word, and the one `substractl
//! link` command that every hint and report suggests.

use std::path::Path;

/// A word for a POSIX shell: as is when every character is safe, else single-quoted.
pub fn quote(word: &str) -> String {
    if !word.is_empty()
        && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:@+,".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A path as a shell word, without a leading `./`.
pub fn quote_path(path: &Path) -> String {
    let s = path.display().to_string();
    quote(s.strip_prefix("./").unwrap_or(&s))
}

/// The `substractl link` command that pairs `orgs` in `dir`; `extra` (flags, already quoted)
/// goes before `--dir`.
pub fn link_command<S: AsRef<str>>(orgs: &[S], dir: &Path, extra: &str) -> String {
    let mut cmd = String::from("substractl link");
    for org in orgs {
        cmd.push(' ');
        cmd.push_str(&quote(org.as_ref()));
    }
    cmd.push_str(extra);
    if dir != Path::new(".") && !dir.as_os_str().is_empty() {
        cmd.push_str(&format!(" --dir {}", quote_path(dir)));
    }
    cmd
}

/// True for a character that acts on a terminal or reorders text instead of showing: C0 and C1
/// controls, DEL, the line and paragraph separators, and the invisible bidi and zero-width
/// marks (see [`is_invisible`]).
pub fn is_hostile(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_invisible(c)
}

/// The text with every hostile character (see [`is_hostile`]) written as its escape, newlines
/// included: the result is one line that shows exactly what the text holds.
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_hostile) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hostile(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A path as one line of text, for a diff's header (see [`one_line`]): a file name cannot end
/// the header's line.
pub fn one_line_path(path: &Path) -> String {
    one_line(&path.display().to_string()).into_owned()
}

/// Whether `c` shows nothing, or changes how the text around it shows, without being a control
/// character: Unicode's default-ignorable code points (zero-width and joiner characters,
/// bidirectional marks and overrides, variation selectors, Hangul fillers, tag characters...),
/// the other format characters (category Cf, such as U+0600 or U+13430) and the braille blank.
/// A line holding one reads as other text than it is.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{34f}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{890}'..='\u{891}'
            | '\u{8e2}'
            | '\u{115f}'..='\u{1160}'
            | '\u{17b4}'..='\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1345f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}

/// Whether `c` is written right to left, or is a digit that the text around it is laid out
/// right to left after (Unicode's bidirectional classes R, AL and AN): the letters of Hebrew,
/// Arabic, Syriac, Thaana, N'Ko and the other scripts written so, and the Arabic-Indic digits.
/// Shown in a line of left-to-right text, such a character reorders the blanks, punctuation
/// and digits beside it: `--context א-1 apply` displays as other text than it runs. These are
/// the blocks Unicode reserves for those scripts, whose unassigned code points default to
/// right to left too (DerivedBidiClass.txt); the marks and overrides that do the same are
/// [`is_invisible`]'s.
pub fn is_right_to_left(c: char) -> bool {
    matches!(
        c,
        '\u{590}'..='\u{8ff}'
            | '\u{fb1d}'..='\u{fdff}'
            | '\u{fe70}'..='\u{fefe}'
            | '\u{10800}'..='\u{10fff}'
            | '\u{1e800}'..='\u{1efff}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_only_when_needed() {
        assert_eq!(quote("ingen"), "ingen");
        assert_eq!(quote("my org"), "'my org'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote_path(Path::new("./a b/x.yaml")), "'a b/x.yaml'");
        assert_eq!(
            link_command(&["ingen", "Bio$MSP"], Path::new("my deploy"), " --channel c"),
            "substractl link ingen 'Bio$MSP' --channel c --dir 'my deploy'"
        );
        assert_eq!(link_command(&["a"], Path::new("."), ""), "substractl link a");
    }
}
