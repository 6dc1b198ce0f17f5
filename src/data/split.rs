use super::DataError;

/// `test_size` as scikit-learn takes it: a fraction in (0, 1) or a count.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TestSize {
    Fraction(f64),
    Count(usize),
}

/// `train_test_split(..., test_size, random_state)` on `n` rows: `(train, test)` row indices,
/// each in permutation order, as scikit-learn returns them.
pub fn train_test_split(
    n: usize,
    test_size: TestSize,
    random_state: u32,
) -> Result<(Vec<usize>, Vec<usize>), DataError> {
    let _ = (n, test_size, random_state);
    todo!("data helper")
}
