//! `:save FILE`: the session's knowledge base written as a `.msf` file that loads from where
//! it is saved.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Response, Session};

impl Session {
    /// `:save FILE`: the knowledge base as a `.msf` file that loads from where it is saved.
    /// A case reads its documents only under its own folder, so each document outside the
    /// file's folder is copied beside it (into `STEM-documents/`) and named there.
    pub(super) fn save(&mut self, arg: &str) -> Response {
        if arg.is_empty() {
            return Response::error("usage: :save FILE\n");
        }
        let path = Path::new(arg);
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let Ok(real) = std::fs::canonicalize(&folder) else {
            return Response::error(format!(
                "cannot write `{arg}`: its folder `{}` does not exist\n",
                folder.display()
            ));
        };
        let stem = path
            .file_stem()
            .map_or_else(|| "saved".to_string(), |s| s.to_string_lossy().into_owned());
        let copies_in = format!("{stem}-documents");
        // Each document's name and its path as the saved file writes it.
        let mut named: BTreeMap<String, String> = BTreeMap::new();
        let mut copied: Vec<String> = Vec::new();
        for d in self.kb.documents() {
            let on_disk = std::fs::canonicalize(&d.path).ok();
            if let Some(inside) = on_disk
                .as_ref()
                .and_then(|doc| doc.strip_prefix(&real).ok())
            {
                named.insert(d.name.clone(), inside.display().to_string());
                continue;
            }
            // The text the knowledge base read (a bundled case's document is on no disk),
            // else the file.
            let text = match self.kb.sources().text_of(&d.path) {
                Some(text) => Ok(text.as_bytes().to_vec()),
                None => std::fs::read(&d.path),
            };
            let Ok(text) = text else {
                // A document that cannot be read is named as it was declared.
                named.insert(d.name.clone(), d.path.clone());
                continue;
            };
            let file = Path::new(&d.path)
                .file_name()
                .map_or_else(|| d.name.clone(), |f| f.to_string_lossy().into_owned());
            let mut written = format!("{copies_in}/{file}");
            if copied.contains(&written) {
                written = format!("{copies_in}/{}-{file}", d.name);
            }
            let copy = std::fs::create_dir_all(folder.join(&copies_in))
                .and_then(|()| crate::files::write(&folder.join(&written), &text));
            if let Err(e) = copy {
                return Response::error(format!(
                    "cannot copy the document {} ({}) to `{}`: {e}\n",
                    d.name,
                    d.path,
                    folder.join(&written).display()
                ));
            }
            copied.push(written.clone());
            named.insert(d.name.clone(), written);
        }
        let text = self
            .kb
            .to_msf_naming(|d| named.get(&d.name).unwrap_or(&d.path).clone());
        if let Err(e) = crate::files::write(path, text.as_bytes()) {
            return Response::error(format!("cannot write `{arg}`: {e}\n"));
        }
        let mut out = format!("saved to {arg}\n");
        if !copied.is_empty() {
            out.push_str(&format!(
                "its documents lay outside its folder: copied beside it, as {}\n",
                copied.join(", ")
            ));
        }
        Response::out(out)
    }
}
