//! The report's section on how robust each verdict is: a table of the verdicts, robust or
//! fragile with the reason, and the verdicts another reading reaches.

use std::fmt::Write;

use crate::markup::escape;
use crate::robustness::Robustness;

/// The section, with its heading (`#robustness`).
pub(super) fn section(page: &mut String, study: &Robustness) {
    let settings: Vec<String> = study
        .settings
        .iter()
        .map(|s| format!("{} from {} to {}", s.setting, s.range.0, s.range.1))
        .collect();
    let robust = study.verdicts.iter().filter(|v| v.robust).count();
    let _ = writeln!(
        page,
        "<section id=\"robustness\" aria-labelledby=\"robustness-h\">\n<h2 id=\"robustness-h\">How robust each verdict is</h2>\n<p>Each of the modeller's {} assumptions taken away alone, and each parameter of the theory tried over its range ({}): a verdict is robust when it holds in every one of these {} readings. {} of {} are.</p>",
        study.assumptions.len(),
        escape(&settings.join("; ")),
        study.readings,
        robust,
        study.verdicts.len()
    );
    page.push_str("<div class=\"table\"><table>\n<thead><tr><th scope=\"col\">Verdict</th><th scope=\"col\">Robust</th><th scope=\"col\">Why</th></tr></thead>\n<tbody>\n");
    for v in &study.verdicts {
        let _ = writeln!(
            page,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            escape(&v.verdict),
            if v.robust { "robust" } else { "fragile" },
            escape(&v.reason)
        );
    }
    page.push_str("</tbody></table></div>\n");
    if !study.appear.is_empty() {
        page.push_str("<h3>Verdicts another reading reaches</h3>\n<ul>\n");
        for a in &study.appear {
            let _ = writeln!(
                page,
                "<li><code>{}</code>: {}</li>",
                escape(&a.verdict),
                escape(&a.when.join("; "))
            );
        }
        page.push_str("</ul>\n");
    }
    page.push_str("</section>\n");
}
