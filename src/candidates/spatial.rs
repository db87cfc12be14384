//! A spatial index of sites on the sphere, for "everything within d km".
//!
//! Sites are stored as unit vectors in 3-D, where the straight-line (chord)
//! distance grows monotonically with great-circle distance, so an R*-tree
//! radius query is exact at any scale — a park, a province or the country —
//! with no projection error. Queries cost O(log n + k), which keeps candidate
//! generation near n log n instead of all pairs.

use crate::input::LonLat;
use rstar::primitives::GeomWithData;
use rstar::RTree;

/// Mean Earth radius used throughout, km (GRS80, as geo's Haversine).
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

type Entry = GeomWithData<[f64; 3], usize>;

/// Sites with an index each, searchable by great-circle radius.
pub struct SiteIndex {
    tree: RTree<Entry>,
}

fn unit_vector(location: LonLat) -> [f64; 3] {
    let (lon, lat) = (location[0].to_radians(), location[1].to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

impl SiteIndex {
    /// Indexes `(id, location)` pairs.
    pub fn new(sites: impl IntoIterator<Item = (usize, LonLat)>) -> SiteIndex {
        let entries: Vec<Entry> = sites
            .into_iter()
            .map(|(id, location)| GeomWithData::new(unit_vector(location), id))
            .collect();
        SiteIndex {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Ids of the sites within `radius_km` of `location` (great-circle),
    /// sorted ascending.
    pub fn within(&self, location: LonLat, radius_km: f64) -> Vec<usize> {
        let angle = (radius_km / EARTH_RADIUS_KM).min(std::f64::consts::PI);
        // A small margin keeps sites exactly on the circle; callers filter
        // by exact route length afterwards.
        let chord = 2.0 * (angle / 2.0).sin() * (1.0 + 1e-9) + 1e-12;
        let mut ids: Vec<usize> = self
            .tree
            .locate_within_distance(unit_vector(location), chord * chord)
            .map(|entry| entry.data)
            .collect();
        ids.sort_unstable();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidates::route::haversine_km;

    #[test]
    fn radius_query_matches_great_circle_distance() {
        let sites: Vec<(usize, LonLat)> = (0..200)
            .map(|i| {
                (
                    i,
                    [
                        110.0 + (i % 20) as f64 * 0.05,
                        35.0 + (i / 20) as f64 * 0.05,
                    ],
                )
            })
            .collect();
        let index = SiteIndex::new(sites.clone());
        let centre = [110.5, 35.25];
        for radius in [1.0, 5.0, 12.5, 40.0] {
            let expected: Vec<usize> = sites
                .iter()
                .filter(|(_, location)| haversine_km(centre, *location) <= radius)
                .map(|(id, _)| *id)
                .collect();
            assert_eq!(index.within(centre, radius), expected, "radius {radius}");
        }
    }
}
