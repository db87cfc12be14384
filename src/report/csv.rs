//! Links and projects as CSV tables, for spreadsheets.

use crate::solution::Plan;

/// Quotes a CSV field when it needs it (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// `links.csv`: one row per link used.
pub fn links(plan: &Plan) -> String {
    let mut out = String::from(
        "from,to,mode,carries,sent,delivered,unit,distance_km,detour,delivered_temperature_c,built,capex_cny,annual_cost_cny_per_year,co2_t_per_year\n",
    );
    for link in &plan.links {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            field(&link.from_id),
            field(&link.to_id),
            field(&link.mode),
            field(&link.carries),
            link.sent,
            link.delivered,
            link.unit,
            link.distance_km,
            link.route.len() > 2,
            link.delivered_temperature_c
                .map_or(String::new(), |t| t.to_string()),
            link.built,
            link.capex_cny,
            link.annual_cost_cny_per_year,
            link.co2_t_per_year,
        ));
    }
    out
}

/// `projects.csv`: one row per candidate project.
pub fn projects(plan: &Plan) -> String {
    let mut out = String::from(
        "id,name,technology,built,throughput,throughput_unit,max_throughput,product,product_output,capex_cny,annual_cost_cny_per_year\n",
    );
    for project in &plan.projects {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            field(&project.id),
            field(&project.name),
            field(&project.technology),
            project.built,
            project.throughput,
            project.throughput_unit,
            project.max_throughput,
            field(&project.product),
            project.product_output,
            project.capex_cny,
            project.annual_cost_cny_per_year,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn fields_with_commas_and_quotes_are_quoted() {
        assert_eq!(super::field("a,b"), "\"a,b\"");
        assert_eq!(super::field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(super::field("plain"), "plain");
    }
}
