//! The language's built-in functions (LANGUAGE.md §3): their names, their arities, and which
//! of them take a time. The parser, the checker and the evaluator find a function by its
//! name once ([`Builtin::named`]) and go on with this enum; lowering resolves each call to
//! one, so the evaluator never matches a function's text.

/// A built-in function of the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Builtin {
    /// `year(T)`: the year of a time (a year written as a number is itself).
    Year,
    /// `month(T)`: the month of a time given to the month or the day.
    Month,
    /// `day(T)`: the day of a time given to the day.
    Day,
    /// `first_day(T)`: the first day of a time's year or month.
    FirstDay,
    /// `last_day(T)`: the last day of a time's year or month.
    LastDay,
    /// `min(A, B)`: the lesser of two comparable values.
    Min,
    /// `max(A, B)`: the greater of two comparable values.
    Max,
}

impl Builtin {
    /// Every built-in function, in the order the language lists them.
    pub(crate) const ALL: [Builtin; 7] = [
        Builtin::Year,
        Builtin::Month,
        Builtin::Day,
        Builtin::FirstDay,
        Builtin::LastDay,
        Builtin::Min,
        Builtin::Max,
    ];

    /// The function a name calls, if the language has one of that name.
    pub(crate) fn named(name: &str) -> Option<Builtin> {
        Builtin::ALL.into_iter().find(|b| b.name() == name)
    }

    /// The function's name as written.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Builtin::Year => "year",
            Builtin::Month => "month",
            Builtin::Day => "day",
            Builtin::FirstDay => "first_day",
            Builtin::LastDay => "last_day",
            Builtin::Min => "min",
            Builtin::Max => "max",
        }
    }

    /// How many arguments it takes.
    pub(crate) fn arity(self) -> usize {
        match self {
            Builtin::Min | Builtin::Max => 2,
            _ => 1,
        }
    }

    /// Whether its argument is a time (so that `year(2005-07)` reads a time, not a
    /// subtraction).
    pub(crate) fn takes_time(self) -> bool {
        self.arity() == 1
    }
}
