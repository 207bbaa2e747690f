//! Markup shared by every human-facing document: the two escapers (Markdown, HTML/XML) and
//! how a sentence marks up text, code and emphasis in each ([`Markup`]).

/// `s` with the punctuation that CommonMark or a GitHub table could read as markup
/// (`\ ` `` ` `` `* _ [ ] < > | &`) backslash-escaped, and line breaks turned into spaces.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// `s` escaped for XML text and attribute values (`& < > " '`).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A title with its id for a Markdown table (`Title (`id`)`), or the id alone when the title
/// is the id.
pub fn named(title: &str, id: &str) -> String {
    if title == id {
        format!("`{id}`")
    } else {
        format!("{} (`{id}`)", md_cell(title))
    }
}

/// Escapes a string for a Markdown table cell.
pub fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// `s` with its first letter upper case.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// `"a"`, `"a and b"`, `"a, b and c"`.
pub fn join_and<'a>(items: impl Iterator<Item = &'a str>) -> String {
    join_with(items, "and")
}

/// "a", "a or b", "a, b or c".
pub fn join_or<'a>(items: impl Iterator<Item = &'a str>) -> String {
    join_with(items, "or")
}

fn join_with<'a>(items: impl Iterator<Item = &'a str>, word: &str) -> String {
    let v: Vec<&str> = items.collect();
    match v.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

/// How text is marked up in a rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// Plain text (JSON): no escaping, no emphasis.
    Plain,
    /// CommonMark: punctuation that could be read as markup is backslash-escaped; `*em*`.
    Markdown,
    /// HTML: `&`, `<`, `>`, quotes escaped; `<em>`.
    Html,
}

impl Markup {
    /// `s` escaped for this markup.
    pub fn text(self, s: &str) -> String {
        match self {
            Markup::Plain => s.to_string(),
            Markup::Markdown => escape_markdown(s),
            Markup::Html => escape_html(s),
        }
    }

    /// An id as code: `` `id` `` in Markdown, `<code>` in HTML, as is in plain text.
    pub fn code(self, id: &str) -> String {
        match self {
            Markup::Plain => id.to_string(),
            Markup::Markdown => format!("`{id}`"),
            Markup::Html => format!("<code>{}</code>", escape_html(id)),
        }
    }

    /// `s` escaped and emphasised.
    pub fn em(self, s: &str) -> String {
        match self {
            Markup::Plain => s.to_string(),
            Markup::Markdown => format!("*{}*", self.text(s)),
            Markup::Html => format!("<em>{}</em>", self.text(s)),
        }
    }
}
