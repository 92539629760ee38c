//! Where the recorded steps come from: public repositories, each pinned to
//! a commit, with the files taken and the licence that allows it.
//!
//! None of the audio is in this repository. `examples/detector_eval.rs
//! --real` copies the files listed here out of local snapshots of the
//! repositories (or finds them already in the corpus cache) and cuts
//! their steps with `step_bank`. Two public repositories are reserved for
//! an independent evaluation and must never be listed here:
//! `Hurricaaane/Presence-Footsteps` and `can3p/wave-research`.

/// One independent source of step sounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RealSource {
    /// Short name used in tables and as the cache folder's name.
    pub name: &'static str,
    /// `owner/name` on GitHub.
    pub repo: &'static str,
    pub commit: &'static str,
    /// Files of that commit whose steps are taken.
    pub files: &'static [&'static str],
    /// The file of the repository that states the licence.
    pub licence_file: &'static str,
    pub licence: &'static str,
    /// Shoes and floors, as far as the files say.
    pub what: &'static str,
}

/// Reserved for the independent evaluation: never a source.
pub const RESERVED: [&str; 2] = ["Hurricaaane/Presence-Footsteps", "can3p/wave-research"];

const MINETEST: &[&str] = &[
    "mods/default/sounds/default_hard_footstep.1.ogg",
    "mods/default/sounds/default_hard_footstep.2.ogg",
    "mods/default/sounds/default_hard_footstep.3.ogg",
    "mods/default/sounds/default_wood_footstep.1.ogg",
    "mods/default/sounds/default_wood_footstep.2.ogg",
    "mods/default/sounds/default_dirt_footstep.1.ogg",
    "mods/default/sounds/default_dirt_footstep.2.ogg",
    "mods/default/sounds/default_grass_footstep.1.ogg",
    "mods/default/sounds/default_grass_footstep.2.ogg",
    "mods/default/sounds/default_grass_footstep.3.ogg",
    "mods/default/sounds/default_gravel_footstep.1.ogg",
    "mods/default/sounds/default_gravel_footstep.2.ogg",
    "mods/default/sounds/default_gravel_footstep.3.ogg",
    "mods/default/sounds/default_gravel_footstep.4.ogg",
    "mods/default/sounds/default_metal_footstep.1.ogg",
    "mods/default/sounds/default_metal_footstep.2.ogg",
    "mods/default/sounds/default_metal_footstep.3.ogg",
    "mods/default/sounds/default_sand_footstep.1.ogg",
    "mods/default/sounds/default_sand_footstep.2.ogg",
    "mods/default/sounds/default_sand_footstep.3.ogg",
    "mods/default/sounds/default_snow_footstep.1.ogg",
    "mods/default/sounds/default_snow_footstep.2.ogg",
    "mods/default/sounds/default_snow_footstep.3.ogg",
    "mods/default/sounds/default_glass_footstep.ogg",
];

const RED_ECLIPSE: &[&str] = &[
    "player/stepl.ogg",
    "player/stepl2.ogg",
    "player/stepl3.ogg",
    "player/stepl4.ogg",
    "player/stepl5.ogg",
    "player/stepr.ogg",
    "player/stepr2.ogg",
    "player/stepr3.ogg",
    "player/stepr4.ogg",
    "player/stepr5.ogg",
    "player/concstep.ogg",
    "player/concstep2.ogg",
    "player/concstep3.ogg",
    "player/concstep4.ogg",
    "player/concstep5.ogg",
];

const HYPERSOMNIA: &[&str] = &[
    "hypersomnia/content/sfx/standard_footstep_1.ogg",
    "hypersomnia/content/sfx/standard_footstep_2.ogg",
    "hypersomnia/content/sfx/standard_footstep_3.ogg",
    "hypersomnia/content/sfx/standard_footstep_4.ogg",
    "hypersomnia/content/sfx/standard_footstep_5.ogg",
    "hypersomnia/content/sfx/footstep_floor_1.ogg",
    "hypersomnia/content/sfx/footstep_floor_2.ogg",
    "hypersomnia/content/sfx/footstep_floor_3.ogg",
    "hypersomnia/content/sfx/footstep_dirt_1.ogg",
    "hypersomnia/content/sfx/footstep_dirt_2.ogg",
    "hypersomnia/content/sfx/footstep_dirt_3.ogg",
    "hypersomnia/content/sfx/footstep_dirt_4.ogg",
    "hypersomnia/content/sfx/footstep_fence_1.ogg",
    "hypersomnia/content/sfx/footstep_fence_2.ogg",
    "hypersomnia/content/sfx/footstep_air_duct_1.ogg",
    "hypersomnia/content/sfx/footstep_air_duct_2.ogg",
];

const CDOGS: &[&str] = &[
    "sounds/footsteps/boots/0.ogg",
    "sounds/footsteps/boots/1.ogg",
    "sounds/footsteps/boots/2.ogg",
    "sounds/footsteps/boots/3.ogg",
    "sounds/footsteps/boots/4.ogg",
    "sounds/footsteps/boots/5.ogg",
    "sounds/footsteps/boots/6.ogg",
    "sounds/footsteps/boots/7.ogg",
    "sounds/footsteps/boots/8.ogg",
    "sounds/footsteps/tile/0.ogg",
    "sounds/footsteps/tile/1.ogg",
    "sounds/footsteps/tile/2.ogg",
    "sounds/footsteps/tile/3.ogg",
    "sounds/footsteps/tile/4.ogg",
    "sounds/footsteps/tile/5.ogg",
    "sounds/footsteps/tile/6.ogg",
    "sounds/footsteps/tile/7.ogg",
    "sounds/footsteps/tile/8.ogg",
    "sounds/footsteps/wood/0.ogg",
    "sounds/footsteps/wood/1.ogg",
    "sounds/footsteps/wood/2.ogg",
    "sounds/footsteps/wood/3.ogg",
    "sounds/footsteps/wood/4.ogg",
    "sounds/footsteps/wood/5.ogg",
    "sounds/footsteps/wood/6.ogg",
    "sounds/footsteps/wood/7.ogg",
    "sounds/footsteps/wood/8.ogg",
    "sounds/footsteps/gravel/0.ogg",
    "sounds/footsteps/gravel/1.ogg",
    "sounds/footsteps/gravel/2.ogg",
    "sounds/footsteps/gravel/3.ogg",
    "sounds/footsteps/gravel/4.ogg",
    "sounds/footsteps/gravel/5.ogg",
    "sounds/footsteps/gravel/6.ogg",
    "sounds/footsteps/gravel/7.ogg",
    "sounds/footsteps/gravel/8.ogg",
    "sounds/footsteps/gravel/9.ogg",
    "sounds/footsteps/metal/0.ogg",
    "sounds/footsteps/metal/1.ogg",
    "sounds/footsteps/metal/2.ogg",
    "sounds/footsteps/metal/3.ogg",
    "sounds/footsteps/metal/4.ogg",
    "sounds/footsteps/metal/5.ogg",
    "sounds/footsteps/metal/6.ogg",
    "sounds/footsteps/metal/7.ogg",
    "sounds/footsteps/grass/0.ogg",
    "sounds/footsteps/grass/1.ogg",
    "sounds/footsteps/grass/2.ogg",
    "sounds/footsteps/grass/3.ogg",
    "sounds/footsteps/grass/4.ogg",
    "sounds/footsteps/grass/5.ogg",
    "sounds/footsteps/grass/6.ogg",
    "sounds/footsteps/grass/7.ogg",
    "sounds/footsteps/grass/8.ogg",
];

/// The recorded sources, in table order.
pub const REAL_SOURCES: [RealSource; 6] = [
    RealSource {
        name: "minetest",
        repo: "minetest/minetest_game",
        commit: "d38b8e665723d90d2f3c73e26d2b00066451760d",
        files: MINETEST,
        licence_file: "mods/default/license.txt",
        licence: "CC BY-SA 3.0, CC BY 3.0 and CC0 1.0 (per sound; credits in mods/default/README.txt)",
        what: "shoes on stone, wood, dirt, grass, gravel, metal, sand, snow, glass; several recordists",
    },
    RealSource {
        name: "redeclipse",
        repo: "redeclipse/sounds",
        commit: "ce37957f444a5402b9b5a899032c70453f85db16",
        files: RED_ECLIPSE,
        licence_file: "readme.txt",
        licence: "CC BY-SA 4.0 (the pack's default for content without its own licence)",
        what: "left and right boot steps on a hard floor, concrete steps",
    },
    RealSource {
        name: "hypersomnia",
        repo: "TeamHypersomnia/Hypersomnia",
        commit: "8f5dbc6c951b22b48d4e332dd499960a8fa2fcee",
        files: HYPERSOMNIA,
        licence_file: "hypersomnia/content/README.md",
        licence: "CC0 1.0 (remixed from CC0 Freesound recordings)",
        what: "shoes on a hard floor, dirt, a wire fence, a metal air duct",
    },
    RealSource {
        name: "kenney",
        repo: "KenneyNL/Starter-Kit-FPS",
        commit: "cc46ba7b2b14275916429df7fdf7692f431902f2",
        files: &["sounds/walking.ogg"],
        licence_file: "LICENSE.md",
        licence: "MIT (the starter kit, its sounds included)",
        what: "a short walk, soft-soled shoes on a hard floor",
    },
    RealSource {
        name: "red-library",
        repo: "hsbakshi/ambient-engine",
        commit: "52201daba8ea2ea4b703d6ec9eb04c6781013197",
        files: &["packages/web/public/assets/footsteps.mp3"],
        licence_file: "ATTRIBUTION.md",
        licence: "public domain (Red Library Footsteps 1, USC Cinema collection, per ATTRIBUTION.md)",
        what: "a field recording of walking on gravel outdoors",
    },
    RealSource {
        name: "cdogs",
        repo: "cxong/cdogs-sdl",
        commit: "bb7e16ce765610d705f7c3e190ddcd4a81f3b371",
        files: CDOGS,
        licence_file: "sounds/footsteps/*/license.txt",
        licence: "CC BY 3.0 (boots, tile, wood, grass: swuing, ceberation), CC0 1.0 (gravel: Ali_6868), CC BY 4.0 (metal: Eelke); Freesound recordings",
        what: "boots on concrete, squeaky soles on tile, wood, gravel, grass, boots on an aluminium ladder",
    },
];

/// The mirror folder name of a repository (`owner+name`).
pub fn mirror_name(repo: &str) -> String {
    repo.replace('/', "+")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_source_is_a_reserved_repository() {
        for source in REAL_SOURCES {
            for reserved in RESERVED {
                assert!(
                    !source.repo.eq_ignore_ascii_case(reserved),
                    "{}",
                    source.repo
                );
            }
        }
    }

    #[test]
    fn every_source_is_pinned_and_named_once() {
        for (i, source) in REAL_SOURCES.iter().enumerate() {
            assert_eq!(source.commit.len(), 40, "{}", source.name);
            assert!(source.commit.chars().all(|c| c.is_ascii_hexdigit()));
            assert!(!source.files.is_empty());
            assert!(REAL_SOURCES[..i]
                .iter()
                .all(|s| s.name != source.name && s.repo != source.repo));
        }
    }
}
