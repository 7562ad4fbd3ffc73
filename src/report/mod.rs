//! A case as one self-contained HTML page to hand out: the title and sources, the timeline,
//! for each policy change its card, its narrative and its proof as a tree to unfold (each fact
//! with the source's words or the modeller's "assumed"), the theory's verdicts that are not
//! "explained", the modeller's assumptions, and a table of contents. No network, no font, no
//! script; printed, it keeps the stories and cards and leaves the proofs (a hundred pages for
//! Horgos) to the screen. The same knowledge base gives the same bytes.

mod proof;
mod research;

use std::fmt::Write as _;

use crate::explain::named;
use crate::explain::render::{card_rows, date, why_narrative};

/// Display names of symbols.
type Names = std::collections::BTreeMap<String, String>;
use crate::explain::{Fact, Why};
use crate::markup::escape;
use crate::syntax::capitalise;
use crate::timeline::svg;
use crate::{Error, KnowledgeBase};

use crate::verdicts::{Verdicts, CHANGE, MISSED, ORDER_UNKNOWN, UNEXPLAINED};

/// The stylesheet: readable on a phone, printable, colours of the lanes as in the pictures.
const STYLE: &str = include_str!("style.css");

/// What the report is made from, besides the knowledge base.
#[derive(Clone, Debug)]
pub struct Options<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The files the case was read from, as the user named them (shown, not read).
    pub files: &'a [String],
    /// Another reading of the case compared with this one: its name, and the comparison
    /// ([`crate::compare::compare`] of this reading with it).
    pub compared: Option<(&'a str, &'a crate::compare::Comparison)>,
}

/// The report of an evaluated knowledge base as one HTML page.
pub fn html(kb: &mut KnowledgeBase, options: &Options<'_>) -> Result<String, Error> {
    // The facts to explain; each proof is found when its section is written and dropped
    // after, and a fact drawn in one proof is linked from the others (a case of 2 000
    // changes along one chain made a page of 700 MB in 3 GB of memory).
    let mut changes = Explained::of(kb, CHANGE)?;
    let mut unknown = Explained::of(kb, ORDER_UNKNOWN)?;
    let mut unexplained = Explained::of(kb, UNEXPLAINED)?;
    let verdicts = Verdicts::of(kb)?;
    let mut missed = Explained::of(kb, MISSED)?;
    let mut drawn = proof::Drawn::default();
    let timeline = kb.timeline(None, None)?.streams_only();
    let picture = svg::render(&timeline, options.title, svg::Size::Slide)
        // In HTML an inline picture needs no namespace, and the page names no address.
        .replacen(r#" xmlns="http://www.w3.org/2000/svg""#, "", 1);
    let assumptions = kb.assumptions();
    let robustness = crate::robustness::study(kb)?;
    let documents = kb.documents().to_vec();

    let mut page = String::new();
    let title = escape(options.title);
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the case</a>\n<header>\n<h1>{title}</h1>\n"
    );
    if let Some(verdicts) = &verdicts {
        let _ = writeln!(
            page,
            "<p class=\"lede\">How Kingdon's Multiple Streams Framework explains this case: {} The stories are the notes of the case retold; in each proof, a fact shows the source's words where the case quotes them, and is marked <span class=\"assumed-mark\">assumed</span> where the modeller inferred it.</p>",
            escape(&verdicts.summary_named(unknown.names())),
        );
    } else {
        let _ = writeln!(
            page,
            "<p class=\"lede\">These rules do not name <code>{CHANGE}</code>: they do not load Kingdon's theory (<code>include \"msf.msf\"</code>), so there is no change to explain. The streams over time and the facts follow.</p>"
        );
    }
    if !documents.is_empty() {
        page.push_str("<p class=\"sources\">Source: ");
        let cited: Vec<String> = documents
            .iter()
            .map(|d| escape(d.note.as_deref().unwrap_or(&d.name)))
            .collect();
        page.push_str(&cited.join("; "));
        page.push_str("</p>\n");
    }
    page.push_str("</header>\n");

    let verdicts = !unexplained.facts.is_empty() || !missed.facts.is_empty();
    let research = (
        robustness.is_some(),
        options.compared.map(|(other, _)| other),
    );
    contents(&mut page, &changes, &unknown, verdicts, research);
    page.push_str("<main id=\"main\">\n");

    let _ = writeln!(
        page,
        "<section id=\"timeline\" aria-labelledby=\"timeline-h\">\n<h2 id=\"timeline-h\">The streams over time</h2>\n<figure>\n<div class=\"picture\">{picture}</div>\n<figcaption><span class=\"scroll-hint\">Scroll the picture sideways to follow the streams. </span>Each stream's facts at their time: ● an event, ◆ a window opening with a bar until it closes, ◇ a window that closed unused, ★ a policy change, ☆ a change coupled in an order the dates do not fix, ⊘ an enactment the theory does not explain; lines join each change to what its proof rests on in the other streams. <span class=\"screen-only\">Every fact is in the table below.</span><span class=\"print-only\">The table of every fact, and each proof fact by fact, are in the page on screen.</span></figcaption>\n</figure>"
    );
    timeline_table(&mut page, &timeline);
    page.push_str("</section>\n");

    let _ = writeln!(
        page,
        "<section id=\"changes\" aria-labelledby=\"changes-h\">\n<h2 id=\"changes-h\">The policy changes</h2>"
    );
    if changes.facts.is_empty() {
        let _ = writeln!(
            page,
            "<p>No <code>{CHANGE}</code> holds: the theory explains no change of this case.</p>"
        );
    }
    for i in 0..changes.facts.len() {
        if let Some(why) = changes.one(i) {
            change(&mut page, why, &anchor(CHANGE, i), &mut drawn);
        }
    }
    page.push_str("</section>\n");

    if !unknown.facts.is_empty() {
        let _ = writeln!(
            page,
            "<section id=\"order\" aria-labelledby=\"order-h\">\n<h2 id=\"order-h\">Changes in an order the dates do not fix</h2>\n<p>The streams couple these changes only if their events came in an order that their dates allow but do not fix (a window of a year and a change of the same year): a finer date would settle whether the theory explains them. Each proof below is the coupling the dates allow; <code>whynot {CHANGE}(…)</code> shows the comparison of dates that fails.</p>"
        );
        for i in 0..unknown.facts.len() {
            if let Some(why) = unknown.one(i) {
                change(&mut page, why, &anchor(ORDER_UNKNOWN, i), &mut drawn);
            }
        }
        page.push_str("</section>\n");
    }

    if verdicts {
        let _ = writeln!(
            page,
            "<section id=\"verdicts\" aria-labelledby=\"verdicts-h\">\n<h2 id=\"verdicts-h\">Where the theory says no</h2>\n<p>An explanation is only as good as its ability to be wrong: here the streams did not couple.</p>"
        );
        let mut section = Section {
            page: &mut page,
            drawn: &mut drawn,
        };
        section.verdicts(
            &mut unexplained,
            UNEXPLAINED,
            "Enactments the theory does not explain",
        );
        section.verdicts(&mut missed, MISSED, "Windows that closed unused");
        page.push_str("</section>\n");
    }

    if let Some(study) = &robustness {
        research::robustness(&mut page, study);
    }
    if let Some((other, comparison)) = options.compared {
        research::comparison(&mut page, &options.files.join(", "), other, comparison);
    }
    assumptions_section(&mut page, &assumptions);
    sources_section(&mut page, &documents, options.files);
    page.push_str("</main>\n");
    let _ = write!(
        page,
        "<footer><p>Made with kingdon {} from {}. The same files give the same page.</p></footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        escape(&options.files.join(", "))
    );
    Ok(page)
}

/// The timeline as a table, for a phone, paper or a screen reader: each fact at its time,
/// with its stream and its words.
fn timeline_table(page: &mut String, timeline: &crate::timeline::Timeline) {
    let mut rows: Vec<(f64, usize, &crate::timeline::Event)> = timeline
        .lanes
        .iter()
        .enumerate()
        .flat_map(|(l, lane)| {
            lane.events
                .iter()
                .map(move |e| (crate::timeline::start(e.time), l, e))
        })
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let _ = writeln!(
        page,
        "<details class=\"facts\"><summary>The same as a table ({})</summary>\n<div class=\"table\"><table>\n<thead><tr><th scope=\"col\">When</th><th scope=\"col\">Stream</th><th scope=\"col\">What</th></tr></thead>\n<tbody>",
        count(rows.len(), "fact", "facts")
    );
    for (_, l, e) in rows {
        let lane = &timeline.lanes[l];
        let what = match e.until {
            Some(until) => format!("{} (open until {})", e.label, date(until)),
            None => e.label.clone(),
        };
        let _ = writeln!(
            page,
            "<tr class=\"lane-{}\"><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&lane.name),
            escape(&date(e.time)),
            escape(&lane.label),
            escape(&what)
        );
    }
    page.push_str("</tbody></table></div>\n</details>\n");
}

/// The proofs of every fact of a predicate, one `Why` each, in time order; none when the
/// program does not name the predicate.
/// The facts of one verdict, in time order, with one `why` of them all: their proofs share
/// the facts they have in common, so 2 000 changes along one chain cost one chain, not 2 000.
struct Explained {
    /// The facts, in time order, then by text.
    facts: Vec<Fact>,
    /// Their proofs, one root each (none when the predicate is not there).
    why: Option<Why>,
    /// The root of each fact's proof, in the order of `facts`.
    roots: Vec<Option<usize>>,
}

impl Explained {
    fn of(kb: &mut KnowledgeBase, pred: &str) -> Result<Explained, Error> {
        let mut explained = Explained {
            facts: Vec::new(),
            why: None,
            roots: Vec::new(),
        };
        if !kb
            .predicates()
            .iter()
            .any(|p| p.name == pred && p.arity == 1)
        {
            return Ok(explained);
        }
        let mut facts = kb.fact_data(Some(pred))?;
        facts.sort_by_cached_key(|f| (f.time, f.to_string()));
        let why = kb.why(&format!("{pred}(_)"))?;
        let by_fact: std::collections::HashMap<String, usize> = why
            .proof
            .roots
            .iter()
            .filter_map(|&r| Some((why.proof.nodes.get(r)?.fact.to_string(), r)))
            .collect();
        explained.roots = facts
            .iter()
            .map(|f| by_fact.get(&f.to_string()).copied())
            .collect();
        explained.facts = facts;
        explained.why = Some(why);
        Ok(explained)
    }

    /// The names for people of the symbols of these facts' proofs.
    fn names(&self) -> &Names {
        static NONE: Names = Names::new();
        self.why.as_ref().map_or(&NONE, |w| &w.proof.names)
    }

    /// The proof of the `i`th fact alone.
    fn one(&mut self, i: usize) -> Option<&Why> {
        let root = (*self.roots.get(i)?)?;
        let why = self.why.as_mut()?;
        why.proof.roots = vec![root];
        Some(why)
    }
}

/// The table of contents.
fn contents(
    page: &mut String,
    changes: &Explained,
    unknown: &Explained,
    verdicts: bool,
    (robustness, compared): (bool, Option<&str>),
) {
    page.push_str("<nav aria-labelledby=\"contents-h\">\n<h2 id=\"contents-h\">Contents</h2>\n<ol>\n<li><a href=\"#timeline\">The streams over time</a></li>\n<li><a href=\"#changes\">The policy changes</a>\n<ol>\n");
    links(page, CHANGE, changes);
    if !unknown.facts.is_empty() {
        page.push_str(
            "<li><a href=\"#order\">Changes in an order the dates do not fix</a>\n<ol>\n",
        );
        links(page, ORDER_UNKNOWN, unknown);
    }
    if verdicts {
        page.push_str("<li><a href=\"#verdicts\">Where the theory says no</a></li>\n");
    }
    if robustness {
        page.push_str("<li><a href=\"#robustness\">How robust each verdict is</a></li>\n");
    }
    if let Some(other) = compared {
        let _ = writeln!(
            page,
            "<li><a href=\"#compared\">Another reading: {}</a></li>",
            escape(other)
        );
    }
    page.push_str("<li><a href=\"#assumptions\">The modeller's assumptions</a></li>\n<li><a href=\"#sources\">Sources</a></li>\n</ol>\n</nav>\n");
}

/// The contents' links to each fact of a predicate's section, closing the section's list.
fn links(page: &mut String, predicate: &str, explained: &Explained) {
    for (i, fact) in explained.facts.iter().enumerate() {
        let _ = writeln!(
            page,
            "<li><a href=\"#{}\">{}</a></li>",
            anchor(predicate, i),
            escape(&dated(explained.names(), fact, ""))
        );
    }
    page.push_str("</ol></li>\n");
}

/// One policy change: its heading, its narrative, its card, its proof.
fn change(page: &mut String, why: &Why, id: &str, drawn: &mut proof::Drawn) {
    let _ = writeln!(
        page,
        "<article class=\"change\" id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h3 id=\"{id}-h\">{}</h3>",
        escape(&heading(why))
    );
    narrative(page, why);
    if let Some(root) = why.proof.roots.first() {
        let rows = card_rows(&why.proof, *root);
        if !rows.is_empty() {
            page.push_str("<dl class=\"card\">\n");
            for row in rows {
                let _ = writeln!(
                    page,
                    "<div class=\"lane lane-{}\"><dt>{}</dt><dd>{}</dd></div>",
                    escape(&row.label),
                    escape(&capitalise(&row.label)),
                    row.items
                        .iter()
                        .map(|i| escape(i))
                        .collect::<Vec<_>>()
                        .join("; ")
                );
            }
            page.push_str(
                "</dl>\n<p class=\"key\">* rests on an assumption of the modeller.</p>\n",
            );
        }
    }
    proof::tree(page, why, id, drawn);
    page.push_str("</article>\n");
}

/// Where verdicts are written: the page, and the facts it has drawn.
struct Section<'p> {
    page: &'p mut String,
    drawn: &'p mut proof::Drawn,
}

impl Section<'_> {
    /// A list of verdicts of one kind, each with its narrative and proof.
    fn verdicts(&mut self, explained: &mut Explained, pred: &str, title: &str) {
        if explained.facts.is_empty() {
            return;
        }
        let _ = writeln!(self.page, "<h3>{}</h3>", escape(title));
        for i in 0..explained.facts.len() {
            let fact = &explained.facts[i];
            let id = anchor(pred, i);
            let title = match pred {
                MISSED => dated(explained.names(), fact, "window closed unused"),
                _ => dated(explained.names(), fact, "enacted, not explained"),
            };
            let _ = writeln!(
                self.page,
                "<article class=\"verdict\" id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h4 id=\"{id}-h\">{}</h4>",
                escape(&title)
            );
            if let Some(why) = explained.one(i) {
                narrative(self.page, why);
                proof::tree(self.page, why, &id, self.drawn);
            }
            self.page.push_str("</article>\n");
        }
    }
}

/// The narrative of a proof, as paragraphs.
fn narrative(page: &mut String, why: &Why) {
    // One line per paragraph: the page wraps it.
    let text = why_narrative(why, usize::MAX);
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let _ = writeln!(page, "<p class=\"narrative\">{}</p>", escape(paragraph));
    }
}

/// The assumptions, as a table.
fn assumptions_section(page: &mut String, assumptions: &[crate::Assumption]) {
    let _ = writeln!(
        page,
        "<section id=\"assumptions\" aria-labelledby=\"assumptions-h\">\n<h2 id=\"assumptions-h\">The modeller's assumptions</h2>"
    );
    if assumptions.is_empty() {
        page.push_str("<p>None: every fact is stated by the sources.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        page,
        "<p>{} the sources do not state, each with the modeller's reason. A student may doubt any of them: remove it, and see what the theory still explains.</p>\n<div class=\"table\"><table>\n<thead><tr><th scope=\"col\">Fact or rule</th><th scope=\"col\">Why it is assumed</th><th scope=\"col\">Where</th></tr></thead>\n<tbody>",
        count(assumptions.len(), "statement", "statements")
    );
    for a in assumptions {
        let _ = writeln!(
            page,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            breakable(&escape(&a.what)),
            escape(&a.reason),
            escape(&a.at)
        );
    }
    page.push_str("</tbody></table></div>\n</section>\n");
}

/// The documents quoted, and the files read.
fn sources_section(page: &mut String, documents: &[crate::Document], files: &[String]) {
    let _ = writeln!(
        page,
        "<section id=\"sources\" aria-labelledby=\"sources-h\">\n<h2 id=\"sources-h\">Sources</h2>"
    );
    if documents.is_empty() {
        page.push_str("<p>The case declares no document: its facts cite no checked source.</p>\n");
    } else {
        page.push_str("<ul>\n");
        for d in documents {
            let _ = writeln!(
                page,
                "<li><strong>{}</strong>: {}. Every quote above was checked against its text when the case was read.</li>",
                escape(&d.name),
                escape(d.note.as_deref().unwrap_or("no description given"))
            );
        }
        page.push_str("</ul>\n");
    }
    let _ = writeln!(
        page,
        "<p>The rules and facts: {}.</p>\n</section>",
        escape(&files.join(", "))
    );
}

/// `Management agreement, July 2005`.
fn heading(why: &Why) -> String {
    match why
        .proof
        .roots
        .first()
        .and_then(|r| why.proof.nodes.get(*r))
    {
        Some(node) => dated(&why.proof.names, &node.fact, ""),
        None => why.question.clone(),
    }
}

/// A fact named by its arguments in words, then `what` it is and its date: `Soviet
/// dissolution: window closed unused, 25 December 1993`.
fn dated(names: &Names, fact: &Fact, what: &str) -> String {
    let args: Vec<String> = fact.args.iter().map(|a| named(names, a)).collect();
    let mut text = capitalise(&args.join(", "));
    if !what.is_empty() {
        text = format!("{text}: {what}");
    }
    match fact.time {
        Some(t) => format!("{text}, {}", date(t)),
        None => text,
    }
}

/// The id of the `i`th fact of a predicate in the page.
fn anchor(pred: &str, i: usize) -> String {
    format!("{}-{}", pred.replace('_', "-"), i + 1)
}

/// `3 windows missed`, `1 window missed`, `no window missed`.
fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {one}"),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// Code that may break after its underscores and commas rather than anywhere.
fn breakable(code: &str) -> String {
    code.replace('_', "_<wbr>").replace(", ", ",<wbr> ")
}
