//! Calendar times of year, month or day granularity, ordered as LANGUAGE.md §1 says:
//! chronologically by the first day a time denotes, the coarser first on a tie.

use std::cmp::Ordering;
use std::fmt;

use serde::{Serialize, Serializer};

/// How precise a time is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// `YYYY`
    Year,
    /// `YYYY-MM`
    Month,
    /// `YYYY-MM-DD`
    Day,
}

/// A time as written: `1992`, `2005-07`, `1991-12-25`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Time {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text is not a time.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Not of the form `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[error("`{0}` is not a time: write YYYY, YYYY-MM or YYYY-MM-DD")]
    Shape(String),
    /// A month outside 01–12.
    #[error("`{0}` is not a time: months run from 01 to 12")]
    Month(String),
    /// A day the month does not have.
    #[error("`{0}` is not a time: that month has {1} days")]
    Day(String, u8),
}

/// What [`Time::parse_bytes`] finds wrong: a [`TimeError`] without its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bad {
    Shape,
    Month,
    /// A day past the month's last, this one.
    Day(u8),
}

/// A month's English name ("July" for 7), if the number is a month's.
pub fn month_name(month: u8) -> Option<&'static str> {
    MONTH_NAMES.get(usize::from(month).checked_sub(1)?).copied()
}

/// The months' English names, January first.
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Time {
    /// An integer read as a year (`@ Y` with `Y = 1992`, a CSV cell `1992`): the year as a
    /// time, when it is one (0 to 9999).
    pub fn from_year(year: i64) -> Option<Time> {
        u16::try_from(year)
            .ok()
            .filter(|y| *y <= 9999)
            .map(Time::year)
    }

    /// A year-granularity time.
    pub fn year(year: u16) -> Time {
        Time {
            year,
            month: 0,
            day: 0,
        }
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking the calendar. Reads the bytes
    /// in place: large CSV files have a time on every row.
    pub fn parse(text: &str) -> Result<Time, TimeError> {
        Time::parse_bytes(text.as_bytes()).map_err(|bad| {
            let text = text.to_string();
            match bad {
                Bad::Shape => TimeError::Shape(text),
                Bad::Month => TimeError::Month(text),
                Bad::Day(last) => TimeError::Day(text, last),
            }
        })
    }

    /// [`Time::parse`] of bytes, saying what is wrong without the text: a CSV cell is read
    /// as a time without being checked as text first, and no error is made of a cell that
    /// is read another way.
    pub(crate) fn parse_bytes(text: &[u8]) -> Result<Time, Bad> {
        let number = |digits: &[u8]| {
            digits.iter().try_fold(0u16, |n, &b| {
                b.is_ascii_digit().then(|| n * 10 + u16::from(b - b'0'))
            })
        };
        let (year, month, day) = match text {
            year @ [_, _, _, _] => (number(year), Some(0), Some(0)),
            [y0, y1, y2, y3, b'-', m0, m1] => {
                (number(&[*y0, *y1, *y2, *y3]), number(&[*m0, *m1]), Some(0))
            }
            [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] => (
                number(&[*y0, *y1, *y2, *y3]),
                number(&[*m0, *m1]),
                number(&[*d0, *d1]),
            ),
            _ => (None, None, None),
        };
        let (Some(year), Some(month), Some(day)) = (year, month, day) else {
            return Err(Bad::Shape);
        };
        let (month, day) = (month as u8, day as u8);
        if text.len() >= 7 && !(1..=12).contains(&month) {
            return Err(Bad::Month);
        }
        if text.len() == 10 {
            let last = days_in_month(year, month);
            if day == 0 || day > last {
                return Err(Bad::Day(last));
            }
        }
        Ok(Time { year, month, day })
    }

    /// Whether this time lies within `outer` (LANGUAGE.md §7, "Times in patterns"): `2012-07`
    /// and `2012-07-15` lie within `2012`; `2012` does not lie within `2012-07`; a time lies
    /// within itself.
    pub fn within(self, outer: Time) -> bool {
        self.year == outer.year
            && (outer.month == 0 || self.month == outer.month)
            && (outer.day == 0 || self.day == outer.day)
    }

    /// Whether this time had come by `bound`: it is not later than `bound`, or lies within
    /// it (`2004-07` had come by `2004`; `2005` had not).
    pub fn not_after(self, bound: Time) -> bool {
        self <= bound || self.within(bound)
    }

    /// The year.
    pub fn year_of(self) -> u16 {
        self.year
    }

    /// The month (1–12), if the time has one.
    pub fn month_of(self) -> Option<u8> {
        (self.month != 0).then_some(self.month)
    }

    /// The day of the month, if the time has one.
    pub fn day_of(self) -> Option<u8> {
        (self.day != 0).then_some(self.day)
    }

    /// The number of days from 1 January of year 0 to the first day this time covers.
    pub fn day_number(self) -> i64 {
        let first = self.first_day();
        let year = i64::from(first.year);
        let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let before_year: i64 = (0..year).map(|y| if leap(y) { 366 } else { 365 }).sum();
        let before_month: i64 = (1..first.month)
            .map(|m| i64::from(days_in_month(first.year, m)))
            .sum();
        before_year + before_month + i64::from(first.day) - 1
    }

    /// The first day this time covers: `2012` → `2012-01-01`, `2012-07` → `2012-07-01`.
    pub fn first_day(self) -> Time {
        Time {
            year: self.year,
            month: self.month.max(1),
            day: self.day.max(1),
        }
    }

    /// The last day this time covers: `2012` → `2012-12-31`, `2012-02` → `2012-02-29`.
    pub fn last_day(self) -> Time {
        let month = if self.month == 0 { 12 } else { self.month };
        let day = if self.day == 0 {
            days_in_month(self.year, month)
        } else {
            self.day
        };
        Time {
            year: self.year,
            month,
            day,
        }
    }

    /// The same time `years` calendar years later (earlier when negative), keeping the
    /// granularity; 29 February becomes the 28th in a common year. `None` outside 0000–9999.
    pub fn shift_years(self, years: i64) -> Option<Time> {
        let year = i64::from(self.year).checked_add(years)?;
        let year = u16::try_from(year).ok().filter(|y| *y <= 9999)?;
        let day = if self.day != 0 {
            self.day.min(days_in_month(year, self.month))
        } else {
            0
        };
        Some(Time {
            year,
            month: self.month,
            day,
        })
    }

    /// Year, month or day.
    pub fn granularity(self) -> Granularity {
        match (self.month, self.day) {
            (0, _) => Granularity::Year,
            (_, 0) => Granularity::Month,
            _ => Granularity::Day,
        }
    }

    /// A number in the times' order (`a < b` exactly when `a.rank() < b.rank()`), for
    /// sorting and searching many times without comparing them one pair at a time. The order
    /// by first day, the coarser first on a tie, is the order of year, month and day with
    /// the absent ones as 0: a month's 0 day (or a year's 0 month) comes before any of its
    /// days (months), as the coarser time before the finer ones that start with it.
    pub fn rank(self) -> u32 {
        u32::from(self.year) << 16 | u32::from(self.month) << 8 | u32::from(self.day)
    }

    /// The time of a [`Time::rank`].
    pub(crate) fn from_rank(rank: u32) -> Time {
        Time {
            year: Time::year_of_rank(rank),
            month: (rank >> 8) as u8,
            day: rank as u8,
        }
    }

    /// The year of the time of a [`Time::rank`].
    pub(crate) fn year_of_rank(rank: u32) -> u16 {
        (rank >> 16) as u16
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Ord for Time {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank().cmp(&other.rank())
    }
}

impl PartialOrd for Time {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if self.month != 0 {
            write!(f, "-{:02}", self.month)?;
        }
        if self.day != 0 {
            write!(f, "-{:02}", self.day)?;
        }
        Ok(())
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Time {
        Time::parse(s).expect("valid time")
    }

    #[test]
    fn coarser_sorts_first_on_the_same_first_day() {
        let mut times = [t("2005-01-02"), t("2005-01-01"), t("2005-01"), t("2005")];
        times.sort();
        let shown: Vec<String> = times.iter().map(Time::to_string).collect();
        assert_eq!(shown, ["2005", "2005-01", "2005-01-01", "2005-01-02"]);
        assert!(t("2005-01-15") < t("2005-02"));
        assert!(t("2004-12-31") < t("2005"));
    }

    #[test]
    fn times_order_by_first_day_then_coarser_first() {
        // Every time of two years, a leap one among them.
        let mut times = Vec::new();
        for year in [2003, 2004] {
            times.push(format!("{year}"));
            for month in 1..=12 {
                times.push(format!("{year}-{month:02}"));
                for day in 1..=31 {
                    times.push(format!("{year}-{month:02}-{day:02}"));
                }
            }
        }
        let times: Vec<Time> = times.iter().filter_map(|s| Time::parse(s).ok()).collect();
        assert_eq!(times.len(), 2 + 24 + 365 + 366);
        // LANGUAGE.md §1: chronologically by the first day a time denotes, the coarser first.
        let key = |t: Time| {
            let first = t.first_day();
            (
                first.year_of(),
                first.month_of(),
                first.day_of(),
                t.granularity(),
            )
        };
        for &a in &times {
            for &b in &times {
                assert_eq!(a.cmp(&b), key(a).cmp(&key(b)), "{a} against {b}");
                assert_eq!(a.rank().cmp(&b.rank()), a.cmp(&b), "{a} against {b}");
            }
        }
    }

    #[test]
    fn calendar_is_checked() {
        assert_eq!(
            Time::parse("2005-13").unwrap_err().to_string(),
            "`2005-13` is not a time: months run from 01 to 12"
        );
        assert_eq!(
            Time::parse("2023-02-29").unwrap_err().to_string(),
            "`2023-02-29` is not a time: that month has 28 days"
        );
        assert!(Time::parse("2024-02-29").is_ok());
        assert!(Time::parse("1900-02-29").is_err());
        assert!(Time::parse("2000-02-29").is_ok());
        assert!(Time::parse("05-01").is_err());
        assert!(Time::parse("2005-1").is_err());
        for shape in [
            "",
            "205",
            "20a5",
            "2005-0a",
            "2005/01",
            "2005-01-",
            "2005-01-01-01",
            "+005",
            "2005-1-01",
        ] {
            assert!(
                matches!(Time::parse(shape), Err(TimeError::Shape(_))),
                "{shape}"
            );
        }
        assert_eq!(t("0999-02-03").to_string(), "0999-02-03");
    }
}
