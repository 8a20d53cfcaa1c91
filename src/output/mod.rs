//! Rendering: tables, JSON, marks and colour. The only place that prints results.
//!
//! Results go to stdout; warnings, notes and errors to stderr. Each command has a
//! submodule that turns its report into text with the primitives below.

use std::io::{self, IsTerminal, Write};

use comfy_table::{Cell, ContentArrangement, LineStyle, Table, TableStyle};
use serde::Serialize;

use crate::cli::{ColorChoice, Format, GlobalArgs};

pub mod certs;
pub mod check;
pub mod grpc;
pub mod link;
pub mod outgoing;

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

/// Decides colour once and writes to stdout and stderr.
#[derive(Debug, Clone)]
pub struct Printer {
    format: Format,
    color: bool,
    err_color: bool,
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

impl Printer {
    pub fn new(global: &GlobalArgs) -> Self {
        Printer {
            format: global.format,
            color: color_wanted(global.color, io::stdout().is_terminal()),
            err_color: color_wanted(global.color, io::stderr().is_terminal()),
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

    /// Writes text to stdout as is.
    pub fn out(&self, text: &str) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        stdout.flush()
    }

    /// Writes a value as pretty JSON, with a final newline, to stdout.
    pub fn json<T: Serialize>(&self, value: &T) -> io::Result<()> {
        let mut text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
        text.push('\n');
        self.out(&text)
    }

    /// A table with a header row, in the house style; colour follows the printer.
    pub fn table(&self, header: &[&str], rows: Vec<Vec<Cell>>) -> String {
        let mut table = Table::new();
        table.load_style(HOUSE_STYLE).set_content_arrangement(ContentArrangement::Disabled);
        if self.color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        table.set_header(header.iter().map(Cell::new).collect::<Vec<_>>());
        for row in rows {
            table.add_row(row);
        }
        // Cells are padded to their column's width: drop the padding at the end of lines.
        table.lines().map(|line| format!("{}\n", line.trim_end())).collect()
    }

    /// `substractl: warning: ...` on stderr.
    pub fn warn(&self, message: &str) {
        let label = self.paint_err("warning:", Paint::Warn);
        let _ = writeln!(io::stderr(), "substractl: {label} {message}");
    }

    /// A line of progress or a note on stderr.
    pub fn note(&self, message: &str) {
        let _ = writeln!(io::stderr(), "{message}");
    }
}

fn paint_if(on: bool, text: &str, paint: Paint) -> String {
    if on {
        format!("\x1b[{}m{text}\x1b[0m", paint.code())
    } else {
        text.to_string()
    }
}

/// Prints an error once, as `substractl: error: ...`, with its hint on the next line.
pub fn report_error(err: &anyhow::Error) {
    let color = color_wanted(ColorChoice::Auto, io::stderr().is_terminal());
    let label = paint_if(color, "error:", Paint::Bad);
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "substractl: {label} {err:#}");
    if let Some(hint) = crate::error::hint(err) {
        let label = paint_if(color, "hint:", Paint::Good);
        let _ = writeln!(stderr, "  {label} {hint}");
    }
}
