//! Stratification: the predicate dependency graph, its strongly connected components, and
//! the cycles through negation or aggregates that make a program unstratifiable.

use std::collections::{HashMap, VecDeque};

/// How a rule's head depends on a body predicate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dep {
    /// Through a positive atom.
    Positive,
    /// Through `not`.
    Negative,
    /// Through an aggregate (its keyword).
    Aggregate(&'static str),
}

impl Dep {
    fn label(self, pred: &str) -> String {
        match self {
            Dep::Positive => pred.to_string(),
            Dep::Negative => format!("not {pred}"),
            Dep::Aggregate(f) => format!("{f} {pred}"),
        }
    }
}

/// A dependency graph over predicate indices.
#[derive(Default)]
pub(crate) struct Graph {
    edges: Vec<Vec<(usize, Dep)>>,
}

impl Graph {
    /// Records that `head` depends on `body` (both indices grow the graph as needed).
    pub(crate) fn add(&mut self, head: usize, body: usize, dep: Dep) {
        let n = head.max(body) + 1;
        if self.edges.len() < n {
            self.edges.resize_with(n, Vec::new);
        }
        self.edges[head].push((body, dep));
    }

    /// The component of every node (Tarjan's algorithm, iterative so that long dependency
    /// chains cannot overflow the stack). Components come out in dependency order: a
    /// component's number is greater than those of the components it depends on.
    pub(crate) fn components(&self, nodes: usize) -> Vec<usize> {
        let n = nodes.max(self.edges.len());
        const UNSEEN: usize = usize::MAX;
        let mut index = vec![UNSEEN; n];
        let mut low = vec![0; n];
        let mut on_stack = vec![false; n];
        let mut comp = vec![UNSEEN; n];
        let mut stack = Vec::new();
        let mut next_index = 0;
        let mut next_comp = 0;
        let empty = Vec::new();
        let succ = |v: usize| self.edges.get(v).unwrap_or(&empty);
        for root in 0..n {
            if index[root] != UNSEEN {
                continue;
            }
            let mut work = vec![(root, 0usize)];
            while let Some(&mut (v, ref mut child)) = work.last_mut() {
                if *child == 0 {
                    index[v] = next_index;
                    low[v] = next_index;
                    next_index += 1;
                    stack.push(v);
                    on_stack[v] = true;
                }
                if let Some(&(w, _)) = succ(v).get(*child) {
                    *child += 1;
                    if index[w] == UNSEEN {
                        work.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
        comp
    }

    /// The shortest path of edges from `from` back to `to`, staying in `from`'s component,
    /// written as ` -> q -> not r -> p` with the names given.
    pub(crate) fn path_text(
        &self,
        from: usize,
        to: usize,
        comp: &[usize],
        names: &[&str],
    ) -> String {
        let mut prev: HashMap<usize, (usize, Dep)> = HashMap::new();
        let mut queue = VecDeque::from([from]);
        let mut reached = from == to;
        while let (false, Some(v)) = (reached, queue.pop_front()) {
            for &(w, dep) in self.edges.get(v).into_iter().flatten() {
                if comp[w] != comp[from] || w == from || prev.contains_key(&w) {
                    continue;
                }
                prev.insert(w, (v, dep));
                if w == to {
                    reached = true;
                    break;
                }
                queue.push_back(w);
            }
        }
        let mut steps = Vec::new();
        let mut at = to;
        while at != from {
            let (p, dep) = prev[&at];
            steps.push(dep.label(names[at]));
            at = p;
        }
        steps.reverse();
        steps.iter().map(|s| format!(" -> {s}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_cycle_through_negation() {
        // p :- not q.   q :- r.   r :- p.
        let mut g = Graph::default();
        g.add(0, 1, Dep::Negative);
        g.add(1, 2, Dep::Positive);
        g.add(2, 0, Dep::Positive);
        let comp = g.components(3);
        assert!(comp[0] == comp[1] && comp[1] == comp[2]);
        assert_eq!(g.path_text(1, 0, &comp, &["p", "q", "r"]), " -> r -> p");
    }

    #[test]
    fn components_follow_dependency_order() {
        let mut g = Graph::default();
        g.add(0, 1, Dep::Positive);
        let comp = g.components(2);
        assert!(comp[1] < comp[0]);
    }

    #[test]
    fn long_chains_do_not_overflow() {
        let mut g = Graph::default();
        for i in 0..200_000 {
            g.add(i, i + 1, Dep::Positive);
        }
        let comp = g.components(200_001);
        assert_eq!(comp[200_000], 0);
    }
}
