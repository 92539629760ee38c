//! Which earcon stands for a cue when there is no voice: coach policy,
//! so it lives with the cues; the engine only renders the tones.
//! Announcements are told apart by the cadence change they bring, so a
//! runner hears "quicker", "slower" or "same" without words.

use super::{Cue, CueKind};
use crate::engine::earcons::Earcon;
use crate::plan::Timeline;

/// Which earcon stands for a cue: announcements by the cadence change.
pub fn earcon_for(cue: &Cue, timeline: &Timeline) -> Option<Earcon> {
    Some(match cue.kind {
        CueKind::Announce => {
            let next = timeline.segments.get(cue.segment)?.cadence.map(|c| c.from);
            let before = cue
                .segment
                .checked_sub(1)
                .and_then(|i| timeline.segments[i].cadence.map(|c| c.to));
            match (before, next) {
                (Some(a), Some(b)) if b > a + 0.5 => Earcon::Rising,
                (Some(a), Some(b)) if b < a - 0.5 => Earcon::Falling,
                _ => Earcon::Chime,
            }
        }
        CueKind::Countdown => Earcon::Pip,
        CueKind::Halfway | CueKind::LastThirty | CueKind::SwitchSides => Earcon::Reminder,
        CueKind::SendOff => Earcon::Finish,
        CueKind::Welcome | CueKind::Say | CueKind::Form => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::build_cues;
    use crate::plan::parse_profile;

    #[test]
    fn announcements_sound_the_cadence_change_and_countdowns_pip() {
        let text = "name = \"E\"\n\
            [[step]]\ntime = \"1m\"\ncadence = 170\n\
            [[step]]\ntime = \"1m\"\ncadence = 180\n\
            [[step]]\ntime = \"1m\"\ncadence = 175\n\
            [[step]]\ntime = \"1m\"\ncadence = 175\n";
        let profile = parse_profile("e.toml", text, std::path::Path::new(".")).unwrap();
        let timeline = Timeline::from_profile(&profile);
        let cues = build_cues(&timeline, &|_| 0.45);
        let announced: Vec<Option<Earcon>> = cues
            .iter()
            .filter(|c| c.kind == CueKind::Announce && c.segment > 0)
            .map(|c| earcon_for(c, &timeline))
            .collect();
        assert_eq!(
            announced,
            [
                Some(Earcon::Rising),
                Some(Earcon::Falling),
                Some(Earcon::Chime)
            ]
        );
        let countdown = cues.iter().find(|c| c.kind == CueKind::Countdown).unwrap();
        assert_eq!(earcon_for(countdown, &timeline), Some(Earcon::Pip));
    }
}
