//! Go durations, as provider `assume_role` blocks write them.

/// Seconds of a Go duration (`1h30m`, `3600s`, `90m`, `1.5h`), as the AWS provider's
/// `duration` takes it. None if it is not one, or is negative.
pub fn parse_go_duration(s: &str) -> Option<u64> {
    let s = s.strip_prefix('+').unwrap_or(s);
    if s == "0" {
        return Some(0);
    }
    if s.is_empty() {
        return None;
    }
    let mut total_ns: u128 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_end);
        let unit_end = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_end);
        rest = tail;
        let per: u128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return None,
        };
        let (int, frac) = num.split_once('.').unwrap_or((num, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let int: u128 = if int.is_empty() { 0 } else { int.parse().ok()? };
        // Digits past the 18th cannot change whole seconds.
        let frac: String = frac.chars().take(18).collect();
        let frac_ns = if frac.is_empty() {
            0
        } else {
            let digits: u128 = frac.parse().ok()?;
            digits.checked_mul(per)? / 10u128.checked_pow(frac.len() as u32)?
        };
        total_ns = total_ns.checked_add(int.checked_mul(per)?.checked_add(frac_ns)?)?;
    }
    u64::try_from(total_ns / 1_000_000_000).ok()
}
