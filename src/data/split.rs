//! scikit-learn's `train_test_split` without stratification: `_validate_shuffle_split`
//! for the sizes, then `ShuffleSplit`'s single permutation from a fresh generator.

use super::DataError;
use crate::rng::RandomState;

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
    let n_test = test_count(n, test_size)?;
    let mut permutation = RandomState::new(random_state).permutation(n);
    let train = permutation.split_off(n_test);
    Ok((train, permutation))
}

/// The number of test rows, validated as `_validate_shuffle_split` does: a fraction rounds
/// up, and the train set may not end up empty.
pub fn test_count(n: usize, test_size: TestSize) -> Result<usize, DataError> {
    let n_test = match test_size {
        TestSize::Fraction(f) => {
            if !(f > 0.0 && f < 1.0) {
                return Err(DataError::new(
                    "test_size",
                    format!("a fraction must be in the open range (0, 1), got {f}"),
                ));
            }
            (f * n as f64).ceil() as usize
        }
        TestSize::Count(c) => {
            if c == 0 || c >= n {
                return Err(DataError::new(
                    "test_size",
                    format!(
                        "a count must be positive and smaller than the number of samples {n}, \
                         got {c}"
                    ),
                ));
            }
            c
        }
    };
    if n_test >= n {
        return Err(DataError::new(
            "test_size",
            format!("with n_samples={n} and test_size={test_size:?} the train set would be empty"),
        ));
    }
    Ok(n_test)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fraction_rounds_the_test_set_up() {
        // ceil(0.25 * 10) = 3 and ceil(0.2 * 200) = 40, as scikit-learn.
        assert_eq!(test_count(10, TestSize::Fraction(0.25)), Ok(3));
        assert_eq!(test_count(200, TestSize::Fraction(0.2)), Ok(40));
        assert_eq!(test_count(7, TestSize::Fraction(0.01)), Ok(1));
    }

    #[test]
    fn article_split_starts_like_scikit_learn() {
        let (train, test) = train_test_split(200, TestSize::Fraction(0.2), 42).unwrap();
        assert_eq!((train.len(), test.len()), (160, 40));
        assert_eq!(test[..5], [95, 15, 30, 158, 128]);
    }

    #[test]
    fn invalid_sizes_name_test_size() {
        for (n, t) in [
            (10, TestSize::Fraction(0.0)),
            (10, TestSize::Fraction(1.0)),
            (10, TestSize::Fraction(f64::NAN)),
            (10, TestSize::Count(0)),
            (10, TestSize::Count(10)),
            (1, TestSize::Fraction(0.5)), // the train set would be empty
            (0, TestSize::Fraction(0.5)),
        ] {
            let err = train_test_split(n, t, 0).unwrap_err();
            assert_eq!(err.param, "test_size", "{n} {t:?}");
        }
    }
}
