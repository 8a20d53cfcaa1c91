//! Rendering: tables, JSON, marks and colour. The only place that prints results.
//!
//! Results go to stdout; warnings, notes and errors to stderr. Each command has a
//! submodule that turns its report into text with the primitives below.
//!
//! Every string of a report may come from a file, a server or kubectl: it is escaped (see
//! [`escape`]) before it reaches the terminal, and painted after. Table cells, warnings, notes
//! and the error printer escape what they are given; renderers that write free text wrap each
//! report string in [`Esc`]. JSON keeps the exact text.

use std::io::{self, IsTerminal, Write};

use comfy_table::{
    Attribute, Color, ColumnConstraint, ContentArrangement, LineStyle, Table, TableStyle,
};
use serde::Serialize;

pub use escape::{escape, escape_lines, is_hostile, Esc};

pub mod certs;
pub mod check;
pub mod escape;
pub mod exchange;
pub mod grpc;
pub mod init;
pub mod link;
pub mod outgoing;
pub mod secrets;

/// Colours used by the renderers; painted only when colour is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    Good,
    Warn,
    Bad,
    Bold,
    Dim,
}

impl Paint {
    fn code(self) -> &'static str {
        match self {
            Paint::Good => "32",
            Paint::Warn => "33",
            Paint::Bad => "31",
            Paint::Bold => "1",
            Paint::Dim => "2",
        }
    }
}

/// Tables: no borders, a rule under the header.
const HOUSE_STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// What `-o`/`--output` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people
    Table,
    /// A stable JSON document for scripts
    Json,
}

/// What `--color` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Decides colour once and writes to stdout and stderr.
#[derive(Debug, Clone)]
pub struct Printer {
    format: Format,
    color: bool,
    err_color: bool,
    /// Columns that tables must fit in; `None`: as wide as their content.
    width: Option<u16>,
}

fn color_wanted(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

/// The width tables must fit in: `COLUMNS` when set to a number, else the width of the
/// terminal stdout writes to; none when stdout is a pipe or a file, so that piped output does not
/// depend on who runs it.
fn table_width() -> Option<u16> {
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok());
    match columns {
        Some(c) if c > 0 => Some(c),
        _ => terminal_size::terminal_size_of(io::stdout()).map(|(w, _)| w.0).filter(|w| *w > 0),
    }
}

impl Printer {
    pub fn new(format: Format, color: ColorChoice) -> Self {
        Printer {
            format,
            color: color_wanted(color, io::stdout().is_terminal()),
            err_color: color_wanted(color, io::stderr().is_terminal()),
            width: table_width(),
        }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn json_wanted(&self) -> bool {
        self.format == Format::Json
    }

    /// True when stderr is a terminal: spinners and prompts are allowed.
    pub fn interactive(&self) -> bool {
        io::stderr().is_terminal()
    }

    pub fn paint(&self, text: &str, paint: Paint) -> String {
        paint_if(self.color, text, paint)
    }

    pub fn paint_err(&self, text: &str, paint: Paint) -> String {
        paint_if(self.err_color, text, paint)
    }

    /// Writes text to stdout: its report strings were escaped by the renderer, and whatever
    /// would still act on the terminal but substractl's own colours is escaped here.
    pub fn out(&self, text: &str) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        stdout.write_all(escape::backstop(text).as_bytes())?;
        stdout.flush()
    }

    /// Writes a value as pretty JSON, with a final newline, to stdout: strings keep their exact
    /// text, with every control character escaped as JSON.
    pub fn json<T: Serialize>(&self, value: &T) -> io::Result<()> {
        let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
        let mut text = escape::json_safe(&text).into_owned();
        text.push('\n');
        self.out(&text)
    }

    /// A table with a header row, in the house style; colour follows the printer.
    ///
    /// On a terminal (or with `COLUMNS` set) the table fits its width: the narrow columns (names,
    /// statuses, dates, fingerprints) keep their width and the wide ones (a reason, a detail, a
    /// list of names) wrap onto more lines; no text is cut.
    pub fn table(&self, header: &[&str], rows: Vec<Vec<Cell>>) -> String {
        self.draw(header, rows, true)
    }

    /// [`Printer::table`] without fitting the terminal: each row on one line, however long.
    /// For cells that come from one untrusted source, read for credentials row by row: wrapped,
    /// the end of one cell's line would stand beside the start of the next cell's.
    pub fn table_unwrapped(&self, header: &[&str], rows: Vec<Vec<Cell>>) -> String {
        self.draw(header, rows, false)
    }

    fn draw(&self, header: &[&str], rows: Vec<Vec<Cell>>, fit: bool) -> String {
        let mut table = Table::new();
        table.load_style(HOUSE_STYLE).set_content_arrangement(ContentArrangement::Disabled);
        if self.color {
            table.enforce_styling().style_text_only();
        } else {
            table.force_no_tty();
        }
        table.set_header(
            header.iter().map(|h| comfy_table::Cell::new(escape(h))).collect::<Vec<_>>(),
        );
        for row in rows {
            table.add_row(row.into_iter().map(Cell::drawn).collect::<Vec<_>>());
        }
        if let Some(width) = self.width.filter(|_| fit) {
            fit_to_width(&mut table, width);
        }
        // Cells are padded to their column's width: drop the padding at the end of lines.
        table.lines().map(|line| format!("{}\n", line.trim_end())).collect()
    }

    /// `substractl: warning: ...` on stderr; the message is escaped.
    pub fn warn(&self, message: &str) {
        let label = self.paint_err("warning:", Paint::Warn);
        let _ = writeln!(io::stderr(), "substractl: {label} {}", escape(message));
    }

    /// A line of progress or a note on stderr; the message is escaped.
    pub fn note(&self, message: &str) {
        let _ = writeln!(io::stderr(), "{}", escape(message));
    }
}

/// A table cell: text of a report, escaped when the table is drawn, and painted whole when
/// colour is on.
#[derive(Debug, Clone)]
pub struct Cell {
    lines: Vec<String>,
    paint: Option<Paint>,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell { lines: vec![text.into()], paint: None }
    }

    /// A cell of several lines, one value each (the SANs of a certificate).
    pub fn lines<S: Into<String>>(lines: impl IntoIterator<Item = S>) -> Cell {
        Cell { lines: lines.into_iter().map(Into::into).collect(), paint: None }
    }

    pub fn paint(mut self, paint: Paint) -> Cell {
        self.paint = Some(paint);
        self
    }

    /// The cell as comfy-table draws it: each line escaped (a newline inside a value shows as
    /// `\n`), styled by comfy-table, which measures the width without the colour codes and
    /// paints after wrapping; colour is drawn only when the table's styling is on.
    fn drawn(self) -> comfy_table::Cell {
        let text: Vec<String> = self.lines.iter().map(|l| escape(l).into_owned()).collect();
        let plain = comfy_table::Cell::new(text.join("\n"));
        match self.paint {
            None => plain,
            Some(Paint::Good) => plain.fg(Color::DarkGreen),
            Some(Paint::Warn) => plain.fg(Color::DarkYellow),
            Some(Paint::Bad) => plain.fg(Color::DarkRed),
            Some(Paint::Bold) => plain.add_attribute(Attribute::Bold),
            Some(Paint::Dim) => plain.add_attribute(Attribute::Dim),
        }
    }
}

/// The narrowest width a wrapped column is given before narrow columns start wrapping too.
const MIN_WRAPPED_WIDTH: usize = 12;

/// A column this wide or narrower (a name, a status, a date, a short fingerprint) is kept whole
/// when the others can still have [`MIN_WRAPPED_WIDTH`].
const NARROW_WIDTH: usize = 28;

/// Makes a table at most `width` columns wide. When its content is wider, the narrow columns keep
/// their content width, and the others share the rest and wrap (comfy-table's dynamic
/// arrangement): a reason or a list of names wraps, a date or a fingerprint does not.
fn fit_to_width(table: &mut Table, width: u16) {
    // Each column has one space of padding on either side.
    let widths: Vec<usize> =
        table.column_max_content_widths().iter().map(|w| usize::from(*w) + 2).collect();
    let budget = usize::from(width);
    if widths.iter().sum::<usize>() <= budget {
        return;
    }
    let mut order: Vec<usize> = (0..widths.len()).collect();
    order.sort_by_key(|&i| widths[i]);
    let mut kept = Vec::new();
    let mut used = 0;
    for (n, &i) in order.iter().enumerate() {
        let left = widths.len() - n;
        let fair_share = budget.saturating_sub(used) / left;
        if widths[i] > fair_share.max(NARROW_WIDTH)
            || used + widths[i] + (left - 1) * (MIN_WRAPPED_WIDTH + 2) > budget
        {
            break;
        }
        used += widths[i];
        kept.push(i);
    }
    for i in kept {
        if let Some(column) = table.column_mut(i) {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    table.set_content_arrangement(ContentArrangement::Dynamic).set_width(width);
}

fn paint_if(on: bool, text: &str, paint: Paint) -> String {
    if on {
        format!("\x1b[{}m{text}\x1b[0m", paint.code())
    } else {
        text.to_string()
    }
}

/// Prints an error once, as `substractl: error: ...`, with its hint (if any) on the next line;
/// both are escaped, as they quote files, servers and kubectl.
pub fn report_error(err: &anyhow::Error, hint: Option<&str>, choice: ColorChoice) {
    let color = color_wanted(choice, io::stderr().is_terminal());
    let label = paint_if(color, "error:", Paint::Bad);
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "substractl: {label} {}", Esc(format_args!("{err:#}")));
    if let Some(hint) = hint {
        let label = paint_if(color, "hint:", Paint::Good);
        let _ = writeln!(stderr, "  {label} {}", escape(hint));
    }
}

/// An argument as clap may quote it in an error: every hostile character (see [`is_hostile`])
/// written as its escape, bytes that are not UTF-8 as U+FFFD. An argument is text the caller
/// chose, and clap writes what it quotes raw.
pub fn shown_argument(arg: &std::ffi::OsStr) -> String {
    escape(&arg.to_string_lossy()).into_owned()
}

/// A command-line error of clap's. When an argument was not shown as it is (see
/// [`shown_argument`]), `shown` is the error of the same command line with every argument so
/// shown (None when that one parses): it is printed instead, so that no escape sequence,
/// newline (a forged `error:` line) or bidi override reaches the terminal; otherwise clap
/// prints the error itself, in its colours. Exits with clap's code.
pub fn report_usage_error(err: clap::Error, hostile: bool, shown: Option<clap::Error>) -> ! {
    if !hostile {
        err.exit()
    }
    let text = match shown {
        Some(shown) => shown.render().to_string(),
        None => "error: an argument holds bytes that are not UTF-8 or characters that cannot be \
                 shown\n\nFor more information, try '--help'.\n"
            .to_string(),
    };
    // The arguments are shown escaped above; this keeps clap's own lines and nothing else.
    let text = escape_lines(&text);
    let mut stderr = io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
    std::process::exit(err.exit_code())
}

/// A unified diff, escaped and painted: additions, removals and hunk headers.
pub fn painted_diff(printer: &Printer, diff: &str) -> String {
    let mut out = String::with_capacity(diff.len());
    for line in escape_lines(diff).split_inclusive('\n') {
        let paint = match line.as_bytes().first() {
            Some(b'+') if !line.starts_with("+++") => Some(Paint::Good),
            Some(b'-') if !line.starts_with("---") => Some(Paint::Bad),
            Some(b'@') => Some(Paint::Dim),
            _ => None,
        };
        match paint {
            Some(p) => {
                out.push_str(&printer.paint(line.trim_end_matches('\n'), p));
                out.push('\n');
            }
            None => out.push_str(line),
        }
    }
    out
}
