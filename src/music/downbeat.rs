//! Which beats start a bar: the kick drum and the bass change on the first
//! beat of a bar far more often than elsewhere in the music runners play,
//! so the phase whose beats carry the most bass onset energy is the
//! downbeat. Bars of three and four beats are tried.

/// Bar lengths tried, in beats.
const METERS: [usize; 2] = [4, 3];
/// Bars needed before a meter and phase are believed.
const MIN_BARS: usize = 4;
/// A bar of three must beat the best bar of four by this factor: nearly
/// all running music is in four, and a waltz's bass is unmistakable.
const THREE_MARGIN: f64 = 1.25;

/// The bar: its length in beats and the index of the first downbeat among
/// the beats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub beats_per_bar: usize,
    pub first: usize,
    /// How far the chosen phase's accent stands above the others', in
    /// standard deviations of the accents.
    pub contrast: f64,
}

/// The bar from each beat's accent (bass onset strength near the beat).
pub fn find_bar(accents: &[f64]) -> Option<Bar> {
    let n = accents.len();
    let mean = accents.iter().sum::<f64>() / n.max(1) as f64;
    let spread = (accents.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / n.max(1) as f64).sqrt();
    if spread <= 0.0 {
        return None;
    }
    let mut best: Option<Bar> = None;
    for meter in METERS {
        if n < meter * MIN_BARS {
            continue;
        }
        for phase in 0..meter {
            let (mut on, mut on_n, mut off, mut off_n) = (0.0, 0usize, 0.0, 0usize);
            for (i, a) in accents.iter().enumerate() {
                if i % meter == phase {
                    on += a;
                    on_n += 1;
                } else {
                    off += a;
                    off_n += 1;
                }
            }
            let contrast = (on / on_n as f64 - off / off_n as f64) / spread;
            let needed = match (meter, &best) {
                (3, Some(four)) => four.contrast * THREE_MARGIN,
                (_, Some(other)) => other.contrast,
                (_, None) => f64::NEG_INFINITY,
            };
            if contrast > needed {
                best = Some(Bar {
                    beats_per_bar: meter,
                    first: phase,
                    contrast,
                });
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accented_phase_is_the_downbeat() {
        let accents: Vec<f64> = (0..32)
            .map(|i| if i % 4 == 1 { 2.0 } else { 0.5 })
            .collect();
        let bar = find_bar(&accents).unwrap();
        assert_eq!((bar.beats_per_bar, bar.first), (4, 1));
    }

    #[test]
    fn a_waltz_is_in_three() {
        let accents: Vec<f64> = (0..30)
            .map(|i| if i % 3 == 2 { 2.0 } else { 0.4 })
            .collect();
        let bar = find_bar(&accents).unwrap();
        assert_eq!((bar.beats_per_bar, bar.first), (3, 2));
    }

    #[test]
    fn flat_accents_have_no_bar() {
        assert_eq!(find_bar(&[1.0; 40]), None);
    }
}
