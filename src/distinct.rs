//! Values met many times, each numbered once: a national catalogue writes the same names,
//! agencies, fees and times in every province, so work done per distinct value (parsing,
//! folding, collation keys) is done a few thousand times instead of once per entry.

use std::collections::HashMap;
use std::hash::Hash;

/// Distinct values in the order first met, with the number of each.
#[derive(Debug)]
pub struct Distinct<K> {
    numbers: HashMap<K, u32>,
    values: Vec<K>,
}

impl<K: Hash + Eq + Copy> Default for Distinct<K> {
    fn default() -> Self {
        Distinct {
            numbers: HashMap::new(),
            values: Vec::new(),
        }
    }
}

impl<K: Hash + Eq + Copy> Distinct<K> {
    /// The number of `value`: the same for equal values, counted from 0 in order first met.
    pub fn number(&mut self, value: K) -> u32 {
        let values = &mut self.values;
        *self.numbers.entry(value).or_insert_with(|| {
            values.push(value);
            (values.len() - 1) as u32
        })
    }

    /// Every distinct value, by its number.
    pub fn values(&self) -> &[K] {
        &self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_share_a_number_in_order_first_met() {
        let mut distinct = Distinct::default();
        let numbers: Vec<u32> = ["b", "a", "b", "c", "a"]
            .into_iter()
            .map(|v| distinct.number(v))
            .collect();
        assert_eq!(numbers, [0, 1, 0, 2, 1]);
        assert_eq!(distinct.values(), ["b", "a", "c"]);
    }
}
