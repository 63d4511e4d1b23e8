//! Plain-text tables: columns two spaces apart, no borders, as TLC and `ls` print them.
//! comfy-table measures each cell's display width (a variant or property name with an
//! accent or a wide character aligns too, where counting bytes did not).

use comfy_table::presets::NOTHING;
use comfy_table::{CellAlignment, ContentArrangement, Table};

/// How a column's cells line up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Words: flush left.
    Left,
    /// Numbers: flush right.
    Right,
}

/// `rows` (the heading, if any, first) as lines of text, each starting with `indent` and
/// without trailing spaces. Column `c` is aligned as `align[c]` (left where `align` is
/// shorter); a row shorter than the others is padded with empty cells.
pub fn aligned(rows: &[Vec<String>], align: &[Align], indent: &str) -> String {
    let mut table = Table::new();
    table
        .load_preset(NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled);
    for row in rows {
        table.add_row(row);
    }
    let columns = table.column_count();
    for (index, column) in table.column_iter_mut().enumerate() {
        // Two spaces between columns, none before the first or after the last.
        column.set_padding((u16::from(index > 0), u16::from(index + 1 < columns)));
        if align.get(index) == Some(&Align::Right) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = String::new();
    for line in table.lines() {
        out.push_str(indent);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
        cells
            .iter()
            .map(|row| row.iter().map(|cell| cell.to_string()).collect())
            .collect()
    }

    #[test]
    fn columns_are_two_spaces_apart_words_left_numbers_right() {
        let text = aligned(
            &rows(&[&["kind", "fired"], &["a long kind", "7"], &["b", "1234"]]),
            &[Align::Left, Align::Right],
            "  ",
        );
        assert_eq!(
            text,
            "  kind         fired\n  a long kind      7\n  b             1234\n"
        );
    }

    #[test]
    fn width_is_what_a_terminal_shows_not_bytes() {
        let text = aligned(
            &rows(&[&["réplica", "x"], &["plain", "y"]]),
            &[Align::Left],
            "",
        );
        assert_eq!(text, "réplica  x\nplain    y\n");
    }

    #[test]
    fn an_empty_last_cell_leaves_no_trailing_space() {
        let text = aligned(&rows(&[&["a", "b", ""], &["c", "d", "note"]]), &[], "");
        assert_eq!(text, "a  b\nc  d  note\n");
    }
}
