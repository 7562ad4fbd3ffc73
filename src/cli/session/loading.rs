//! Files loaded into a session: `:load`, `:reload`, and the files given at the start.

use std::path::PathBuf;

use super::{interruptible, Response, Session, CASE};

impl Session {
    pub(super) fn load_command(&mut self, arg: &str) -> Response {
        if arg.is_empty() {
            return Response::error("usage: :load FILE\n");
        }
        // `:load "my case.msf"`: the quotes a shell would take away.
        let arg = arg
            .strip_prefix('"')
            .and_then(|a| a.strip_suffix('"'))
            .unwrap_or(arg);
        let path = PathBuf::from(arg);
        if let Some(already) = self.already_loaded(&path) {
            return Response::error(format!(
                "{arg} is already loaded ({already}): loading it again would state every rule twice; :reload reads it again\n"
            ));
        }
        let (mut response, kept) = self.change(|kb| kb.load_file(&path));
        if kept {
            let canonical = |p: &std::path::Path| std::fs::canonicalize(p).ok();
            if !self.loaded.iter().any(|p| canonical(p) == canonical(&path)) {
                self.loaded.push(path);
            }
            response.out.push_str(&format!("loaded {arg}\n"));
        }
        response
    }

    /// Whether the knowledge base holds a file already (what `:reset` emptied does not
    /// count): the same file, loaded with `:load` or included, or the same text as a file of
    /// the bundled case. Says which.
    fn already_loaded(&self, path: &std::path::Path) -> Option<String> {
        let canonical = |p: &std::path::Path| std::fs::canonicalize(p).ok();
        let target = canonical(path)?;
        // Its text is compared with the bundled files only when it could be one of them: a
        // regular file of one of their sizes (reading a named pipe here waited for a writer
        // that Ctrl-C could not stop, and `/dev/zero` had no end).
        let meta = std::fs::metadata(&target).ok();
        let could_be_bundled = meta
            .is_some_and(|m| m.is_file() && CASE.iter().any(|(_, t)| t.len() as u64 == m.len()));
        let text = if could_be_bundled {
            std::fs::read_to_string(&target).unwrap_or_default()
        } else {
            String::new()
        };
        let sources = self.kb.sources();
        (0..sources.len()).find_map(|i| {
            let source = sources.source(crate::syntax::FileId(i as u32));
            let bundled = CASE
                .iter()
                .any(|(name, t)| *name == source.name && !text.is_empty() && *t == text);
            if bundled && self.with_case {
                return Some(format!("as {}, with the case", source.name));
            }
            (canonical(std::path::Path::new(&source.name)).as_ref() == Some(&target))
                .then(|| "with :load or an include".to_string())
        })
    }

    /// Starts again from what was loaded: the case (if the session began with it) and every
    /// `:load`, each read anew; the `:asof` view follows.
    pub(super) fn reload(&mut self) -> Response {
        let mut fresh = interruptible(&self.options, &self.interrupt);
        fresh.set_limits(self.kb.options().limits.clone());
        let mut response = Response::default();
        if self.with_case {
            if let Err(e) = fresh.load_bundle(CASE) {
                return Response::error(fresh.render(&e, self.color));
            }
            response.out.push_str("loaded the Horgos case\n");
        }
        for path in &self.loaded {
            if let Err(e) = fresh.load_file(path) {
                return Response::error(fresh.render(&e, self.color));
            }
            response
                .out
                .push_str(&format!("loaded {}\n", path.display()));
        }
        if let Err(e) = fresh.write_outputs() {
            return Response::error(fresh.render(&e, self.color));
        }
        self.kb = fresh;
        self.last_why = None;
        self.refresh_asof();
        response.out.push_str("reloaded\n");
        response
    }
    /// Loads a file given on the command line.
    pub fn load(&mut self, path: PathBuf) -> Response {
        let line = format!(":load {}", path.display());
        self.command(&line)
    }
}
