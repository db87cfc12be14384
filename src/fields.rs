//! The field names serde expects for a struct, read from its
//! `Deserialize` without any data.
//!
//! Two stages need them: parsing answers an unknown field of a park file
//! with the closest valid one, and every CSV table takes its header from
//! its row struct. So they live here, below both.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::forward_to_deserialize_any;

/// The field names `T` declares to serde (after `rename`/`rename_all`), in
/// order, or `None` if `T` is not a struct with named fields.
pub fn field_names<T: Deserialize<'static>>() -> Option<&'static [&'static str]> {
    let mut fields = None;
    let _ = T::deserialize(FieldProbe(&mut fields));
    fields
}

/// A deserializer that records the field list of the first struct asked
/// for, then stops.
struct FieldProbe<'a>(&'a mut Option<&'static [&'static str]>);

impl<'de> Deserializer<'de> for FieldProbe<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("field probe"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = Some(fields);
        Err(de::Error::custom("field probe"))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_structs_fields() {
        let fields = field_names::<crate::input::WasteRecord>().unwrap();
        assert_eq!(fields[0], "id");
        assert!(fields.contains(&"t_per_year") && fields.contains(&"kind"));
        assert_eq!(field_names::<f64>(), None);
    }
}
