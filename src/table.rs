//! CSV fields, quoted the way each table of ecopark writes them.
//!
//! Every stage from the solution up writes tables for spreadsheets; the
//! quoting lives here, below them all, so that no stage reaches up into
//! another for it.

/// A text field always quoted (quotes doubled), as the analyses' tables
/// and `firms.csv` write names and ids.
pub fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_are_doubled() {
        assert_eq!(super::quoted("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(super::quoted("plain"), "\"plain\"");
    }
}
