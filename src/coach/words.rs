//! Numbers as a coach says them: "one eighty", "four forty-five per
//! kilometre", "ninety seconds", "twelve point six".

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// 0–99 in words: 45 -> "forty-five".
fn below_hundred(n: u64) -> String {
    match n {
        0..=19 => ONES[n as usize].to_string(),
        _ if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_string(),
        _ => format!("{}-{}", TENS[(n / 10) as usize], ONES[(n % 10) as usize]),
    }
}

/// A whole number in words: 800 -> "eight hundred", 2500 -> "two thousand five hundred".
pub fn number(n: u64) -> String {
    match n {
        0..=99 => below_hundred(n),
        100..=999 => {
            let rest = n % 100;
            let hundreds = format!("{} hundred", ONES[(n / 100) as usize]);
            if rest == 0 {
                hundreds
            } else {
                format!("{hundreds} {}", below_hundred(rest))
            }
        }
        _ => {
            let rest = n % 1000;
            let thousands = format!("{} thousand", number(n / 1000));
            if rest == 0 {
                thousands
            } else {
                format!("{thousands} {}", number(rest))
            }
        }
    }
}

/// The way runners say a cadence: 180 -> "one eighty", 105 -> "one oh five",
/// 200 -> "two hundred", 95 -> "ninety-five".
pub fn cadence(spm: f64) -> String {
    let n = spm.round().max(0.0) as u64;
    match n {
        0..=99 => below_hundred(n),
        100..=999 => match n % 100 {
            0 => format!("{} hundred", ONES[(n / 100) as usize]),
            r @ 1..=9 => format!("{} oh {}", ONES[(n / 100) as usize], ONES[r as usize]),
            r => format!("{} {}", ONES[(n / 100) as usize], below_hundred(r)),
        },
        _ => number(n),
    }
}

/// One decimal, spoken: 12.6 -> "twelve point six", 9.0 -> "nine".
pub fn decimal(x: f64) -> String {
    let tenths = (x * 10.0).round().max(0.0) as u64;
    let (whole, tenth) = (tenths / 10, tenths % 10);
    if tenth == 0 {
        number(whole)
    } else {
        format!("{} point {}", number(whole), ONES[tenth as usize])
    }
}

/// A pace as m:ss spoken: 285 s -> "four forty-five", 300 -> "five flat",
/// 305 -> "five oh five".
pub fn pace(seconds: f64) -> String {
    let total = seconds.round().max(0.0) as u64;
    let (minutes, secs) = (total / 60, total % 60);
    match secs {
        0 => format!("{} flat", number(minutes)),
        1..=9 => format!("{} oh {}", number(minutes), ONES[secs as usize]),
        _ => format!("{} {}", number(minutes), below_hundred(secs)),
    }
}

fn plural(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("one {unit}")
    } else {
        format!("{} {unit}s", number(n))
    }
}

/// A step length: 180 -> "three minutes", 90 -> "ninety seconds",
/// 150 -> "two and a half minutes", 4200 -> "one hour ten minutes",
/// 0.2 -> "under a second" (never nothing).
pub fn duration(seconds: f64) -> String {
    let total = seconds.round().max(0.0) as u64;
    if total == 0 {
        return "under a second".to_string();
    }
    let (hours, minutes, secs) = (total / 3600, (total / 60) % 60, total % 60);
    if total < 120 && secs != 0 {
        return plural(total, "second");
    }
    let mut parts = Vec::new();
    if hours > 0 {
        parts.push(plural(hours, "hour"));
    }
    match (minutes, secs) {
        (0, 0) => {}
        (m, 30) if hours == 0 => parts.push(format!("{} and a half minutes", number(m))),
        (m, 0) => parts.push(plural(m, "minute")),
        (m, s) => {
            if m > 0 {
                parts.push(plural(m, "minute"));
            }
            parts.push(plural(s, "second"));
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_a_coach() {
        assert_eq!(cadence(180.0), "one eighty");
        assert_eq!(cadence(165.0), "one sixty-five");
        assert_eq!(cadence(105.0), "one oh five");
        assert_eq!(cadence(200.0), "two hundred");
        assert_eq!(cadence(95.0), "ninety-five");
        assert_eq!(pace(285.0), "four forty-five");
        assert_eq!(pace(300.0), "five flat");
        assert_eq!(pace(305.0), "five oh five");
        assert_eq!(decimal(12.6), "twelve point six");
        assert_eq!(decimal(9.0), "nine");
        assert_eq!(number(800), "eight hundred");
        assert_eq!(number(2500), "two thousand five hundred");
        assert_eq!(duration(180.0), "three minutes");
        assert_eq!(duration(60.0), "one minute");
        assert_eq!(duration(90.0), "ninety seconds");
        assert_eq!(duration(150.0), "two and a half minutes");
        assert_eq!(duration(200.0), "three minutes twenty seconds");
        assert_eq!(duration(4200.0), "one hour ten minutes");
        assert_eq!(duration(45.0), "forty-five seconds");
        assert_eq!(duration(1.0), "one second");
        assert_eq!(duration(0.0001), "under a second");
    }
}
