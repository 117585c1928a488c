//! Values met many times, each numbered once: a national catalogue writes the same names,
//! agencies, fees and times in every province, so work done per distinct value (parsing,
//! folding, collation keys) is done a few thousand times instead of once per entry.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// A quick hasher for the application's own data (codes, names, texts of one catalogue):
/// the multiply-rotate of rustc's FxHash, word by word. Not for keys an adversary picks.
#[derive(Clone, Copy, Debug, Default)]
pub struct QuickHasher(u64);

impl Hasher for QuickHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
        for &byte in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(K);
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.write_u64(u64::from(value));
    }

    fn write_u32(&mut self, value: u32) {
        self.write_u64(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash map keyed by the application's own data, hashed quickly.
pub type QuickMap<K, V> = HashMap<K, V, BuildHasherDefault<QuickHasher>>;

/// Distinct values in the order first met, with the number of each.
#[derive(Debug)]
pub struct Distinct<K> {
    numbers: QuickMap<K, u32>,
    values: Vec<K>,
}

impl<K: Hash + Eq + Copy> Default for Distinct<K> {
    fn default() -> Self {
        Distinct {
            numbers: QuickMap::default(),
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
