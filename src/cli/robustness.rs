//! `kingdon robustness [FILE…] [--format text|json|csv]`: how robust each verdict of a case is
//! to the modeller's assumptions and the theory's parameters, as a table.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::robustness::Robustness;
use clap::ValueEnum;

use super::timeline::load_for_drawing;

/// How the table is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A line per verdict, robust or fragile, with the reason under it.
    Text,
    /// One JSON document: the verdicts, the readings that reach other verdicts, the
    /// assumptions and settings tried.
    Json,
    /// A header, then a row per verdict: verdict, robust, reason, the sets it rests on, the
    /// values of each setting with which it holds.
    Csv,
}

/// Loads the files (or the bundled case) and prints the robustness of their verdicts.
pub fn run(
    files: &[PathBuf],
    options: crate::Options,
    format: Format,
    width: usize,
    color: bool,
) -> ExitCode {
    let (mut kb, loaded) = load_for_drawing(files, options);
    let studied = loaded.and_then(|()| crate::robustness::study(&mut kb));
    let study = match studied {
        Ok(Some(study)) => study,
        Ok(None) => {
            errln!("error: these rules do not derive `policy_change`: there is no verdict of the theory to study (include rules/msf.msf)");
            return ExitCode::FAILURE;
        }
        Err(e) => {
            err!("{}", kb.render(&e, color));
            return ExitCode::FAILURE;
        }
    };
    match format {
        Format::Text => out!("{}", text(&study, width)),
        Format::Json => outln!(
            "{}",
            serde_json::to_string(&study).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        ),
        Format::Csv => out!("{}", csv(&study)),
    }
    ExitCode::SUCCESS
}

/// The study as text for a terminal, `width` columns wide.
pub fn text(study: &Robustness, width: usize) -> String {
    let fit = |text: &str, first: &str, rest: &str| -> String {
        crate::explain::render::wrap(first, rest, text, width.max(40)).join("\n") + "\n"
    };
    let robust = study.verdicts.iter().filter(|v| v.robust).count();
    let settings: Vec<String> = study
        .settings
        .iter()
        .map(|s| format!("{} {}–{}", s.setting, s.range.0, s.range.1))
        .collect();
    let own = study
        .verdicts
        .iter()
        .filter(|v| v.assumed_enactment)
        .count();
    let fragile = match own {
        0 => format!("{} fragile", study.verdicts.len() - robust),
        n => format!(
            "{} fragile ({n} only because the enactment judged is itself assumed)",
            study.verdicts.len() - robust
        ),
    };
    let n = study.assumptions.len();
    let mut out = fit(
        &format!(
            "{} of {} verdicts robust, {fragile}: each of {n} assumption{} taken away alone; {} ({} readings).",
            robust,
            study.verdicts.len(),
            if n == 1 { "" } else { "s" },
            if settings.is_empty() {
                "no parameter declared".to_string()
            } else {
                settings.join(", ")
            },
            study.readings
        ),
        "",
        "",
    );
    if !study.unbacked.is_empty() {
        out.push_str(&fit(
            &format!(
                "Not tested: {} stated fact{} with no quote, source or assumption ({}{}); marked `assumed`, each would be taken away in turn (kingdon evidence lists them).",
                study.unbacked.len(),
                if study.unbacked.len() == 1 { "" } else { "s" },
                study.unbacked.iter().take(3).cloned().collect::<Vec<_>>().join("; "),
                if study.unbacked.len() > 3 { "; …" } else { "" }
            ),
            "",
            "  ",
        ));
    }
    for v in &study.verdicts {
        let mark = if v.robust { "robust " } else { "fragile" };
        out.push_str(&format!("{mark}  {}\n", v.verdict));
        out.push_str(&fit(&v.reason, "         ", "           "));
    }
    if !study.appear.is_empty() {
        out.push_str("Verdicts another reading reaches:\n");
        for a in &study.appear {
            out.push_str(&fit(
                &format!("{}: {}", a.verdict, a.when.join("; ")),
                "  ",
                "      ",
            ));
        }
    }
    out
}

/// The study as CSV: a row per verdict.
fn csv(study: &Robustness) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut rows = vec![vec![
        "verdict".to_string(),
        "robust".to_string(),
        "reason".to_string(),
        "rests_on".to_string(),
        "holds_with".to_string(),
    ]];
    for v in &study.verdicts {
        let rests: Vec<String> = v.rests_on.iter().map(|s| s.join(" + ")).collect();
        let holds: Vec<String> = v
            .holds_with
            .iter()
            .map(|h| {
                let values: Vec<String> = h.values.iter().map(ToString::to_string).collect();
                format!("{}={}", h.setting, values.join(" "))
            })
            .collect();
        rows.push(vec![
            v.verdict.clone(),
            v.robust.to_string(),
            v.reason.clone(),
            rests.join(" | "),
            holds.join("; "),
        ]);
    }
    for row in rows {
        if writer.write_record(&row).is_err() {
            break;
        }
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
