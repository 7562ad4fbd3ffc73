//! Exact numbers: 64-bit integers and decimals with up to 18 significant digits.
//! `3.20` and `3.2` are the same decimal, `3.0` is the integer `3`; integers and decimals
//! compare numerically.

use std::cmp::Ordering;
use std::fmt;

use serde::{Serialize, Serializer};

/// A decimal `mantissa × 10^-scale`, kept normalised (no trailing zero in the fraction).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decimal {
    mantissa: i64,
    scale: u8,
}

/// The largest number of fraction digits a decimal keeps.
pub const MAX_SCALE: u8 = 18;

impl Decimal {
    /// `mantissa × 10^-scale`, normalised.
    pub fn new(mut mantissa: i64, mut scale: u8) -> Decimal {
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        Decimal { mantissa, scale }
    }

    /// The value scaled to `scale` fraction digits, exactly (callers keep `scale` ≤ 36).
    fn scaled(self, scale: u8) -> i128 {
        self.mantissa as i128 * 10i128.pow(u32::from(scale - self.scale))
    }

    /// The decimal as a float (for output only).
    pub fn to_f64(self) -> f64 {
        self.mantissa as f64 / 10f64.powi(i32::from(self.scale))
    }

    /// The digits, as an integer (`3.25` → 325).
    pub fn mantissa(self) -> i64 {
        self.mantissa
    }

    /// How many of the digits are after the point (`3.25` → 2).
    pub fn scale(self) -> u8 {
        self.scale
    }

    /// `-self`, unless the digits are those of `i64::MIN`.
    pub fn checked_neg(self) -> Option<Decimal> {
        Some(Decimal {
            mantissa: self.mantissa.checked_neg()?,
            scale: self.scale,
        })
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = usize::from(self.scale.max(1));
        let digits = if self.scale == 0 {
            format!("{digits}0")
        } else {
            digits
        };
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int}.{frac}")
    }
}

/// A numeric literal or value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Number {
    /// A 64-bit integer.
    Int(i64),
    /// An exact decimal.
    Dec(Decimal),
}

/// Why a text is not a number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// An integer outside the range of i64.
    #[error("`{0}` does not fit in a 64-bit integer")]
    IntRange(String),
    /// A decimal with too many digits.
    #[error("`{0}` has more digits than a decimal keeps (18)")]
    DecimalDigits(String),
}

impl Number {
    /// A decimal as the number it is: one without fraction digits (`3.0`) is the integer
    /// (`3`), so that equal numbers are one value everywhere, in joins, under `not`, in
    /// deduplication and in files (LANGUAGE.md §8, "Numbers").
    pub fn decimal(d: Decimal) -> Number {
        if d.scale == 0 {
            Number::Int(d.mantissa)
        } else {
            Number::Dec(d)
        }
    }

    /// Parses `-?[0-9]+(\.[0-9]+)?` (the caller has checked the shape).
    pub fn parse(text: &str) -> Result<Number, NumberError> {
        match text.split_once('.') {
            None => text
                .parse::<i64>()
                .map(Number::Int)
                .map_err(|_| NumberError::IntRange(text.to_string())),
            Some((_, frac)) => {
                let digits: String = text.chars().filter(|&c| c != '.').collect();
                let too_many = || NumberError::DecimalDigits(text.to_string());
                if frac.len() > usize::from(MAX_SCALE) {
                    return Err(too_many());
                }
                let mantissa = digits.parse::<i64>().map_err(|_| too_many())?;
                Ok(Number::decimal(Decimal::new(mantissa, frac.len() as u8)))
            }
        }
    }

    fn as_decimal(self) -> Decimal {
        match self {
            Number::Int(i) => Decimal {
                mantissa: i,
                scale: 0,
            },
            Number::Dec(d) => d,
        }
    }

    /// Compares two numbers by value: `3 = 3.0`, `3.2 < 6.8`.
    pub fn numeric_cmp(self, other: Number) -> Ordering {
        let (a, b) = (self.as_decimal(), other.as_decimal());
        let scale = a.scale.max(b.scale);
        a.scaled(scale).cmp(&b.scaled(scale))
    }

    /// The number as a float (for output only).
    pub fn to_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Dec(d) => d.to_f64(),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Dec(d) => write!(f, "{d}"),
        }
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).expect("valid number")
    }

    #[test]
    fn decimals_are_normalised_and_print_back() {
        assert_eq!(n("3.20"), n("3.2"));
        assert_eq!(n("3.20").to_string(), "3.2");
        assert_eq!(n("-0.5").to_string(), "-0.5");
        assert_eq!(n("0.05").to_string(), "0.05");
        assert_eq!(n("7.0"), Number::Int(7), "no fraction digits: the integer");
        assert_eq!(n("7.0").to_string(), "7");
        assert_eq!(n("-9223372036854775808"), Number::Int(i64::MIN));
    }

    #[test]
    fn integers_and_decimals_compare_numerically() {
        assert_eq!(n("3").numeric_cmp(n("3.0")), Ordering::Equal);
        assert_eq!(n("3.2").numeric_cmp(n("6.8")), Ordering::Less);
        assert_eq!(n("-1").numeric_cmp(n("-0.5")), Ordering::Less);
    }

    #[test]
    fn out_of_range_literals_are_errors() {
        assert!(Number::parse("9223372036854775808").is_err());
        assert!(Number::parse("1.0000000000000000001").is_err());
        assert!(Number::parse("99999999999999999999.5").is_err());
    }
}
