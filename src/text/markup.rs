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

/// How a table column's cells line up: text to the left, numbers to the right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Numbers (and ranges of numbers).
    Right,
}

/// A table written once for either markup: a Markdown pipe table (`| a | b |`, with `---:`
/// under a right-aligned column) or an HTML table (`<th class="n">` and `<td class="n">` for
/// a right-aligned column). Cells are given already marked up ([`Markup::text`],
/// [`Markup::code`], [`Markup::titled`]).
#[derive(Debug, Clone)]
pub struct Table {
    markup: Markup,
    align: Vec<Align>,
    out: String,
}

impl Table {
    /// Adds a row: one cell per column.
    pub fn row(&mut self, cells: &[String]) {
        debug_assert_eq!(cells.len(), self.align.len(), "one cell per column");
        match self.markup {
            Markup::Html => {
                self.out.push_str("<tr>");
                for (c, a) in cells.iter().zip(&self.align) {
                    self.out.push_str(&format!("<td{}>{c}</td>", class(*a)));
                }
                self.out.push_str("</tr>");
            }
            _ => self.out.push_str(&format!("| {} |\n", cells.join(" | "))),
        }
    }

    /// The table as text (Markdown ends with the last row's line break).
    pub fn finish(mut self) -> String {
        if self.markup == Markup::Html {
            self.out.push_str("</tbody></table>");
        }
        self.out
    }
}

fn class(a: Align) -> &'static str {
    match a {
        Align::Left => "",
        Align::Right => " class=\"n\"",
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

    /// A title with its id: `Title (`id`)` in Markdown, `Title <code>id</code>` in HTML.
    pub fn titled(self, title: &str, id: &str) -> String {
        match self {
            Markup::Html => format!("{} {}", self.text(title), self.code(id)),
            _ => format!("{} ({})", self.text(title), self.code(id)),
        }
    }

    /// A table with these column headers (already marked up) and alignments.
    pub fn table(self, head: &[(&str, Align)]) -> Table {
        let align: Vec<Align> = head.iter().map(|&(_, a)| a).collect();
        let out = match self {
            Markup::Html => {
                let ths: String = (head.iter())
                    .map(|&(h, a)| format!("<th{}>{h}</th>", class(a)))
                    .collect();
                format!("<table><thead><tr>{ths}</tr></thead><tbody>")
            }
            _ => {
                let names: Vec<&str> = head.iter().map(|&(h, _)| h).collect();
                let rule: String = (align.iter())
                    .map(|a| if *a == Align::Right { "---:|" } else { "---|" })
                    .collect();
                format!("| {} |\n|{rule}\n", names.join(" | "))
            }
        };
        Table {
            markup: self,
            align,
            out,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One table, both markups: the header, the rule or the classes of right-aligned
    /// columns, a title with its id, and the end.
    #[test]
    fn a_table_is_written_once_for_markdown_and_html() {
        let table = |m: Markup| {
            let mut t = m.table(&[("Item", Align::Left), ("P", Align::Right)]);
            t.row(&[m.titled("a|b <c>", "x"), "12.5%".into()]);
            t.finish()
        };
        assert_eq!(
            table(Markup::Markdown),
            "| Item | P |\n|---|---:|\n| a\\|b \\<c\\> (`x`) | 12.5% |\n"
        );
        assert_eq!(
            table(Markup::Html),
            "<table><thead><tr><th>Item</th><th class=\"n\">P</th></tr></thead><tbody>\
             <tr><td>a|b &lt;c&gt; <code>x</code></td><td class=\"n\">12.5%</td></tr>\
             </tbody></table>"
        );
    }
}
