//! The report's sections for research: how robust each verdict is (a table of the verdicts,
//! robust or fragile with the reason, and the verdicts another reading reaches), and the
//! verdicts that differ from another reading of the case.

use std::fmt::Write;

use crate::compare::Comparison;
use crate::markup::escape;
use crate::robustness::Robustness;

/// The robustness section, with its heading (`#robustness`).
pub(super) fn robustness(page: &mut String, study: &Robustness) {
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

/// The comparison with another reading, with its heading (`#compared`): each subject judged
/// otherwise, both verdicts, and the premises that differ.
pub(super) fn comparison(page: &mut String, this: &str, other: &str, c: &Comparison) {
    let _ = writeln!(
        page,
        "<section id=\"compared\" aria-labelledby=\"compared-h\">\n<h2 id=\"compared-h\">Another reading: {}</h2>\n<p>{} verdicts are the same in both readings; {} subject{} judged otherwise. For each, the first premise of its proof that the other reading does not state.</p>",
        escape(other),
        c.same,
        c.differences.len(),
        if c.differences.len() == 1 { " is" } else { "s are" }
    );
    for (side, only) in [(this, &c.only_a), (other, &c.only_b)] {
        if only.is_empty() {
            continue;
        }
        let _ = writeln!(page, "<p>Only {} states:</p>\n<ul>", escape(side));
        for s in only {
            let _ = writeln!(page, "<li><code>{}</code></li>", escape(s));
        }
        page.push_str("</ul>\n");
    }
    if c.differences.is_empty() {
        page.push_str("</section>\n");
        return;
    }
    let _ = writeln!(
        page,
        "<div class=\"table\"><table>\n<thead><tr><th scope=\"col\">Subject</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
        escape(this),
        escape(other)
    );
    let cell = |verdicts: &[String], premise: &Option<String>| {
        let said = if verdicts.is_empty() {
            "no verdict".to_string()
        } else {
            verdicts.join(", ")
        };
        match premise {
            Some(p) => format!(
                "<code>{}</code><br>rests on <code>{}</code>, which the other does not state",
                escape(&said),
                escape(p)
            ),
            None => format!("<code>{}</code>", escape(&said)),
        }
    };
    for d in &c.differences {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&d.subject),
            cell(&d.a, &d.a_premise),
            cell(&d.b, &d.b_premise)
        );
        if d.a_premise.is_none() && d.b_premise.is_none() {
            page.push_str("<tr><td></td><td colspan=\"2\">No premise of either proof differs: what one reading states otherwise (listed above) acts through a condition that blocks the verdict, or a setting such as a window's length.</td></tr>\n");
        }
    }
    page.push_str("</tbody></table></div>\n</section>\n");
}
