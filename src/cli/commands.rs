//! Colon commands as a table: each command's name, aliases, usage, one-line help and
//! handler, and the lookup that accepts an unambiguous start of a name (`:ti`) and suggests
//! the nearest name for a typo. The session owns its table; help and completion read it.

/// What the session answers to one input.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Response {
    /// Warnings about the input, for the standard error before what it answers (a name
    /// never stated, W107, is read before the empty answer it explains).
    pub before: String,
    /// What to show on the standard output.
    pub out: String,
    /// Errors and warnings, for the standard error.
    pub err: String,
    /// Whether the input failed (the knowledge base is as it was before it).
    pub failed: bool,
    /// Whether the user asked to leave.
    pub quit: bool,
}

/// Prints a response: its warnings, then its answers, then its errors; returns whether it
/// failed.
pub fn show(response: Response) -> bool {
    err!("{}", response.before);
    out!("{}", response.out);
    err!("{}", response.err);
    response.failed
}

impl Response {
    /// Text for the standard output.
    pub fn out(text: impl Into<String>) -> Response {
        Response {
            out: text.into(),
            ..Response::default()
        }
    }

    /// An error: text for the standard error, and the input failed.
    pub fn error(text: impl Into<String>) -> Response {
        Response {
            err: text.into(),
            failed: true,
            ..Response::default()
        }
    }
}

/// A colon command of a session of type `S`.
pub struct Command<S> {
    /// Its name, colon included (`:timeline`).
    pub name: &'static str,
    /// Other names that stand for it (`:q`).
    pub aliases: &'static [&'static str],
    /// What follows the name (`[FROM..TO]`), empty when nothing does.
    pub usage: &'static str,
    /// One line of help.
    pub help: &'static str,
    /// Runs it with the rest of the line, trimmed.
    pub run: fn(&mut S, &str) -> Response,
}

impl<S> Command<S> {
    /// `:name usage  help`, as the help lists it.
    pub fn line(&self) -> String {
        if self.usage.is_empty() {
            format!("{} {}", self.name, self.help)
        } else {
            format!("{} {}  {}", self.name, self.usage, self.help)
        }
    }
}

/// The command a typed name stands for: the name or an alias, or an unambiguous start of a
/// name at least three characters long. Otherwise the error to show.
pub fn find<'c, S>(commands: &'c [Command<S>], typed: &str) -> Result<&'c Command<S>, Response> {
    if let Some(c) = commands
        .iter()
        .find(|c| c.name == typed || c.aliases.contains(&typed))
    {
        return Ok(c);
    }
    let starting: Vec<&Command<S>> = commands
        .iter()
        .filter(|c| typed.len() > 1 && c.name.starts_with(typed))
        .collect();
    match starting.as_slice() {
        [only] if typed.len() > 2 => Ok(only),
        [_, _, ..] => {
            let names: Vec<&str> = starting.iter().map(|c| c.name).collect();
            Err(Response::error(format!(
                "`{typed}` could be {}; type more of it\n",
                names.join(" or ")
            )))
        }
        _ => {
            let nearest = crate::check::nearest(typed, commands.iter().map(|c| c.name))
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            Err(Response::error(format!(
                "unknown command `{typed}`{nearest}; :help lists the commands\n"
            )))
        }
    }
}
