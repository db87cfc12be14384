//! Shards: a list split between the tasks of a job array, each taking
//! every N-th item, so that tasks need not talk to each other.

use super::{BatchError, BatchItem, BatchList};
use std::fmt;
use std::str::FromStr;

/// One share of a list, `index/count`: the item at 0-based position `k`
/// belongs to the shard with `k mod count == index`, so shards `0/N` to
/// `(N-1)/N` split a list between them, each item in exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: usize,
    count: usize,
}

impl Shard {
    /// The whole list as one shard, `0/1`.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Shard `index` of `count`; `0 ≤ index < count`.
    pub fn new(index: usize, count: usize) -> Result<Shard, BatchError> {
        Shard::checked(index, count).map_err(|reason| BatchError::Shard {
            text: format!("{index}/{count}"),
            reason: reason.to_string(),
        })
    }

    /// Shard `index` of `count`, or why there is none.
    fn checked(index: usize, count: usize) -> Result<Shard, &'static str> {
        if count == 0 {
            Err("N must be at least 1")
        } else if index >= count {
            Err("I must be below N (Slurm: --array=0-(N-1), so task ids run from 0)")
        } else {
            Ok(Shard { index, count })
        }
    }

    /// This shard, from 0.
    pub fn index(self) -> usize {
        self.index
    }

    /// Number of shards, at least 1.
    pub fn count(self) -> usize {
        self.count
    }

    /// Whether the item at 0-based position `k` of the list is in this shard.
    pub fn contains(self, k: usize) -> bool {
        k % self.count == self.index
    }

    /// The items of `list` in this shard, in list order.
    pub fn items(self, list: &BatchList) -> Vec<&BatchItem> {
        list.items
            .iter()
            .enumerate()
            .filter(|&(k, _)| self.contains(k))
            .map(|(_, item)| item)
            .collect()
    }
}

impl FromStr for Shard {
    type Err = BatchError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = |reason: &str| BatchError::Shard {
            text: text.to_string(),
            reason: reason.to_string(),
        };
        let (index, count) = text
            .split_once('/')
            .ok_or_else(|| error("no '/' between I and N"))?;
        let (Ok(index), Ok(count)) = (index.trim().parse::<usize>(), count.trim().parse::<usize>())
        else {
            return Err(error("I and N must be whole numbers"));
        };
        Shard::checked(index, count).map_err(error)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::parse;
    use super::*;

    #[test]
    fn shards_parse_and_bad_ones_say_why() {
        let shard = "1/4".parse::<Shard>().unwrap();
        assert_eq!((shard.index(), shard.count()), (1, 4));
        assert_eq!(Shard::new(2, 5).unwrap().to_string(), "2/5");
        assert!(Shard::new(5, 5).is_err() && Shard::new(0, 0).is_err());
        for (text, reason) in [
            ("4/4", "I must be below N"),
            ("0/0", "N must be at least 1"),
            ("1", "no '/'"),
            ("-1/4", "whole numbers"),
            ("a/b", "whole numbers"),
        ] {
            let error = text.parse::<Shard>().unwrap_err().to_string();
            assert!(error.contains(reason) && error.contains(text), "{error}");
        }
    }

    #[test]
    fn every_item_is_in_exactly_one_shard() {
        let text: String = (0..11)
            .map(|k| format!("p/park.toml name=i{k}\n"))
            .collect();
        let list = parse(&text).unwrap();
        for count in 1..=5 {
            let mut seen = vec![0; list.items.len()];
            for index in 0..count {
                let shard = Shard::new(index, count).unwrap();
                let items = shard.items(&list);
                assert!(
                    items.windows(2).all(|w| w[0].line < w[1].line),
                    "list order"
                );
                for item in items {
                    let k = list.items.iter().position(|i| i == item).unwrap();
                    assert_eq!(k % count, index);
                    seen[k] += 1;
                }
            }
            assert!(seen.iter().all(|&n| n == 1), "N = {count}: {seen:?}");
        }
    }
}
