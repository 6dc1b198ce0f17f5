//! Work in bounded pieces: a budget of rows per step, and numpy's `permutation` that can stop
//! after any swap and resume exactly where it stopped (the generator's stream is unchanged).

use crate::rng::RandomState;

/// How many rows a step may still touch. Every pass over the data takes from it, one per row
/// (a swap of a permutation counts as a row); work that does not grow with the rows (a few
/// draws per feature or cluster) is free.
#[derive(Debug)]
pub struct RowBudget {
    left: usize,
}

impl RowBudget {
    pub fn new(rows: usize) -> RowBudget {
        RowBudget { left: rows }
    }

    /// Up to `want` rows out of what is left.
    pub fn take(&mut self, want: usize) -> usize {
        let n = want.min(self.left);
        self.left -= n;
        n
    }

    pub fn spent(&self) -> bool {
        self.left == 0
    }
}

/// `rng.permutation(n)` in pieces: the same Fisher–Yates swaps from the end, in the same
/// order, so the result and the generator's state afterwards are numpy's.
#[derive(Debug)]
pub struct Permuting {
    values: Vec<usize>,
    /// The next index to swap down from; 0 when done.
    next: usize,
}

impl Permuting {
    pub fn new(n: usize) -> Permuting {
        Permuting {
            values: (0..n).collect(),
            next: n.saturating_sub(1),
        }
    }

    /// Swaps within the budget; true once the permutation is complete.
    pub fn step(&mut self, rng: &mut RandomState, budget: &mut RowBudget) -> bool {
        let n = budget.take(self.next);
        for _ in 0..n {
            let i = self.next;
            let j = rng.interval(i as u32) as usize;
            self.values.swap(i, j);
            self.next -= 1;
        }
        self.next == 0
    }

    pub fn into_values(self) -> Vec<usize> {
        self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_permutation_in_pieces_is_numpys() {
        for n in [0, 1, 2, 10, 1000] {
            for piece in [1, 3, 7, 1000] {
                let mut whole = RandomState::new(42);
                let want = whole.permutation(n);
                let mut rng = RandomState::new(42);
                let mut p = Permuting::new(n);
                while !p.step(&mut rng, &mut RowBudget::new(piece)) {}
                assert_eq!(p.into_values(), want, "n {n} piece {piece}");
                assert_eq!(rng.next_u32(), whole.next_u32(), "the stream goes on alike");
            }
        }
    }
}
