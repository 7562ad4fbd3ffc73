//! Cells, rows and quotes of CSV and TSV files.

use super::*;

#[test]
fn cells_are_typed() {
    assert_eq!(cell("2023"), Ok(Const::Int(2023)));
    assert_eq!(cell("-12"), Ok(Const::Int(-12)));
    assert_eq!(cell("3.20").map(|c| c.to_string()), Ok("3.2".into()));
    assert_eq!(cell("2005-07").map(|c| c.to_string()), Ok("2005-07".into()));
    assert_eq!(cell("china"), Ok(Const::Sym("china".into())));
    assert_eq!(cell("China"), Ok(Const::Str("China".into())));
    assert_eq!(cell("note"), Ok(Const::Str("note".into())));
    assert_eq!(cell("a b"), Ok(Const::Str("a b".into())));
    assert!(cell("2023-02-30").is_err());
    assert!(cell("99999999999999999999").is_err());
    assert_eq!(cell("\"7\""), Ok(Const::Str("7".into())));
    assert_eq!(cell("\"a\\nb\""), Ok(Const::Str("a\nb".into())));
    assert_eq!(cell("3.0"), Ok(Const::Int(3)));
    assert!(cell("a\u{202e}b").is_err(), "a bidirectional override");
    assert!(cell("\"a\u{2066}b\"").is_err());
}

#[test]
fn a_string_cell_reads_back_as_written() {
    for s in [
        "7",
        "abc",
        "a\nb",
        "\"q\"",
        "",
        " pad ",
        "2005-07",
        "say \"hi\"",
        "-2",
        "3.5",
    ] {
        let c = Const::Str(s.into());
        assert_eq!(cell(&cell_text(&c)), Ok(c), "{s:?}");
    }
}

/// Every fact of a text, each as its line, its constants and its time.
/// A fact as read: its line, its constants, its time.
type Fact = (usize, Vec<Const>, Option<Time>);

fn facts(text: &str, arity: usize) -> Result<Vec<Fact>, RowError> {
    let mut out = Vec::new();
    read_rows(text, b',', arity, |line, cells, time| {
        out.push((line, cells.iter().map(Cell::to_const).collect(), time))
    })?;
    Ok(out)
}

#[test]
fn rows_with_a_time_and_bad_rows() {
    let rows = facts("a,b\nc,d,1992\n", 2).expect("valid");
    assert_eq!(rows[1].2, Some(Time::year(1992)));
    let e = facts("a,b\nc,d,e,f\n", 2).expect_err("bad row");
    assert_eq!(
        (e.line, e.message.as_str()),
        (2, "expected 2 cells (or 3 with a time last), found 4")
    );
    let e = facts("a,b\nc,99999999999999999999\n", 2).expect_err("bad cell");
    assert_eq!((e.line, e.column), (2, 3));
}

#[test]
fn integer_rows_read_in_one_pass_as_the_general_way_reads_them() {
    let cells = [
        "",
        "0",
        "-0",
        "7",
        "-12",
        "-",
        "1-",
        "1.5",
        "a",
        "123456789012345678",
        "1234567890123456789",
        "1992",
        "0000",
        "-199",
        "2005-07",
        "2005-13",
        "1991-12-25",
        "1991-02-30",
        "2005-7",
        "20050",
        "2005-07-",
        "x,y",
    ];
    let mut fast = Vec::new();
    let mut taken = 0;
    for arity in 0..3 {
        for a in cells {
            for b in cells {
                for c in [
                    "",
                    ",",
                    ",1992",
                    ",2005-07",
                    ",1991-12-25",
                    ",2005-13",
                    ",x",
                ] {
                    let line = format!("{a},{b}{c}");
                    let Some((_, time)) = int_line(line.as_bytes(), 0, b',', arity, &mut fast)
                    else {
                        continue;
                    };
                    taken += 1;
                    let (mut texts, mut general) = (Vec::new(), Vec::new());
                    split(&line, b',', &mut texts);
                    let read = row(1, &line, &texts, arity, &mut general);
                    assert_eq!(read, Ok(time), "{line:?} of arity {arity}");
                    assert_eq!(fast, general, "{line:?} of arity {arity}");
                }
            }
        }
    }
    // The rows of large files take the one pass.
    for (line, arity) in [("1,2", 2), ("-3,4,2005-07", 2), ("5,6,1992", 2), ("7", 1)] {
        assert!(
            int_line(line.as_bytes(), 0, b',', arity, &mut fast).is_some(),
            "{line}"
        );
    }
    assert!(taken > 100, "{taken}");
}

/// [`facts`] read the general way only: each line split and read on its own.
fn facts_line_by_line(text: &str, arity: usize) -> Result<Vec<Fact>, RowError> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let (mut texts, mut cells) = (Vec::new(), Vec::new());
        split(line, b',', &mut texts);
        let time = row(i + 1, line, &texts, arity, &mut cells)?;
        out.push((i + 1, cells.iter().map(Cell::to_const).collect(), time));
    }
    Ok(out)
}

#[test]
fn integer_lines_read_as_they_come_as_the_general_way_reads_them() {
    let lines = [
        "",
        "1,2",
        "-3,4",
        "1,2,1992",
        "5,6,2005-07",
        "5,6,2005-07-31",
        "5,6,2005-13",
        "5,6,2005-7",
        "5,6,20050",
        "5,6,-123",
        "5,6,1992-",
        "5,6,1992a",
        "5,6,2005-07,1",
        "1,a",
        "1,2,",
        "7",
        "1,2,3",
        "1-,2",
        "-,2",
        "1234567890123456789,1",
        "0,0",
        " 1,2",
        "1,2 ",
        "\r",
    ];
    let ends = ["\n", "\r\n", "\r", ""];
    let mut compared = 0;
    for arity in 0..4 {
        for a in lines {
            for b in lines {
                for (end_a, end_b) in ends.iter().flat_map(|x| ends.iter().map(move |y| (x, y))) {
                    let text = format!("{a}{end_a}{b}{end_b}");
                    if !is_plain(text.as_bytes()) {
                        // Read by the csv crate, not by lines.
                        continue;
                    }
                    let read = facts(&text, arity);
                    assert_eq!(
                        read,
                        facts_line_by_line(&text, arity),
                        "{text:?} of arity {arity}"
                    );
                    compared += usize::from(read.is_ok_and(|facts| !facts.is_empty()));
                }
            }
        }
    }
    assert!(compared > 500, "{compared}");
}

#[test]
fn quotes_the_csv_crate_lets_pass_are_found() {
    use QuoteTrouble::*;
    let trouble = |raw: &str| quote_trouble(raw.as_bytes(), b',');
    assert_eq!(trouble("a,\"b\"\"c\",\"\"\n"), None);
    assert_eq!(trouble("a,\"b,c\"\r\n"), None);
    assert_eq!(trouble("c,\"d"), Some(Unclosed(2)));
    assert_eq!(trouble("\""), Some(Unclosed(0)));
    assert_eq!(
        trouble("\"a\"\"\n"),
        Some(Unclosed(0)),
        "an escaped quote closes nothing"
    );
    assert_eq!(trouble("c,\"d\n\",f\n"), Some(Spans(2, 5)));
    assert_eq!(
        trouble("c,\"d\r\",f\n"),
        None,
        "a lone CR in a cell is the row check's"
    );
    assert_eq!(trouble("a,b\"c\n"), Some(Stray(3)));
    assert_eq!(trouble("a, \"b\"\n"), Some(Stray(3)));
    assert_eq!(trouble("a,\"b\"c\n"), Some(AfterClose(5)));
    assert_eq!(quote_trouble(b"a\t\"b\"\tc\n", b'\t'), None);
}

#[test]
fn plain_and_quoted_texts_read_alike() {
    // Without quotes the rows are split directly; with them, by the csv crate.
    let plain = "a,1\r\n\nb,-22,2005-07\nc,3.5\n";
    let quoted = "a,1\r\n\n\"b\",-22,2005-07\nc,3.5\n";
    let read = facts(plain, 2).expect("valid");
    assert_eq!(read, facts(quoted, 2).expect("valid"));
    assert_eq!(read.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 3, 4]);
    assert_eq!(read[1].1, [Const::Sym("b".into()), Const::Int(-22)]);
    assert_eq!(read[2].1[1].to_string(), "3.5");
    let e = facts("a,1\nb,2,13\n", 2).expect_err("bad time");
    assert_eq!((e.line, e.column), (2, 5));
}
