//! The colours of the lanes, the same in every picture: the timeline's marks, the proof
//! graph's boxes and the report's sections.

/// Which of six colours a lane is drawn in, the same in every picture: the theory's five
/// lanes (`problem`, `policy`, `politics`, `window`, `change`) have one each, any other lane
/// one by a stable hash of its name.
pub fn lane_palette(lane: &str) -> usize {
    let known = ["problem", "policy", "politics", "window", "change"];
    known.iter().position(|k| *k == lane).unwrap_or_else(|| {
        let hash = lane.bytes().fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
        hash as usize % 6
    })
}

/// The colour of a lane's marks, lines and outlines in every picture (each at least 4.5:1
/// against white, for the lanes' titles).
pub fn lane_colour(lane: &str) -> &'static str {
    const COLOURS: [&str; 6] = [
        "#c0392b", "#1a7340", "#2e6fd8", "#8e44ad", "#946008", "#117a65",
    ];
    COLOURS[lane_palette(lane)]
}

/// The pale fill of a lane's facts in a graph.
pub(crate) fn lane_tint(lane: &str) -> &'static str {
    const TINTS: [&str; 6] = [
        "#f6d5d1", "#d2eadb", "#d5e2f7", "#e8d8f0", "#f5e4c8", "#d0ece6",
    ];
    TINTS[lane_palette(lane)]
}
