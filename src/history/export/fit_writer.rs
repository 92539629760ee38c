//! FIT's binary container: the file header, definition and data messages,
//! and the CRC, as the FIT protocol (2.0) describes them. Knows nothing of
//! running; `fit.rs` says which messages and fields.

/// A field's base type: its code in a definition, size and "invalid" value
/// (what a field holds when it has nothing to say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    Enum,
    UInt8,
    SInt16,
    UInt16,
    UInt32,
    UInt32z,
}

impl Base {
    fn code(self) -> u8 {
        match self {
            Base::Enum => 0x00,
            Base::UInt8 => 0x02,
            Base::SInt16 => 0x83,
            Base::UInt16 => 0x84,
            Base::UInt32 => 0x86,
            Base::UInt32z => 0x8C,
        }
    }

    fn size(self) -> usize {
        match self {
            Base::Enum | Base::UInt8 => 1,
            Base::SInt16 | Base::UInt16 => 2,
            Base::UInt32 | Base::UInt32z => 4,
        }
    }

    fn invalid(self) -> u32 {
        match self {
            Base::Enum | Base::UInt8 => 0xFF,
            Base::SInt16 => 0x7FFF,
            Base::UInt16 => 0xFFFF,
            Base::UInt32 => 0xFFFF_FFFF,
            Base::UInt32z => 0,
        }
    }

    /// The largest valid value (one below invalid for the unsigned types).
    fn max(self) -> i64 {
        match self {
            Base::SInt16 => 0x7FFE,
            Base::UInt32z => 0xFFFF_FFFF,
            _ => i64::from(self.invalid()) - 1,
        }
    }

    fn min(self) -> i64 {
        match self {
            Base::SInt16 => -0x7FFF,
            Base::UInt32z => 1,
            _ => 0,
        }
    }
}

/// A message's layout: global message number and (field number, type).
pub struct Layout {
    pub local: u8,
    pub global: u16,
    pub fields: &'static [(u8, Base)],
}

/// The FIT protocol version written (2.0).
const PROTOCOL_VERSION: u8 = 0x20;
/// The FIT profile version the field numbers come from (21.32).
const PROFILE_VERSION: u16 = 2132;

/// A FIT file being built.
pub struct FitWriter {
    records: Vec<u8>,
    defined: [bool; 16],
}

impl FitWriter {
    pub fn new() -> FitWriter {
        FitWriter {
            records: Vec::new(),
            defined: [false; 16],
        }
    }

    /// Writes a data message; its definition goes first the first time.
    /// `values` line up with `layout.fields`; `None`, or a value outside
    /// the type's range, is written as the type's invalid value.
    pub fn message(&mut self, layout: &Layout, values: &[Option<i64>]) {
        debug_assert_eq!(values.len(), layout.fields.len());
        let local = usize::from(layout.local);
        if !self.defined[local] {
            self.define(layout);
            self.defined[local] = true;
        }
        self.records.push(layout.local);
        for (&(_, base), value) in layout.fields.iter().zip(values) {
            let raw = match value {
                Some(v) if (base.min()..=base.max()).contains(v) => *v as u32,
                _ => base.invalid(),
            };
            self.records
                .extend_from_slice(&raw.to_le_bytes()[..base.size()]);
        }
    }

    fn define(&mut self, layout: &Layout) {
        self.records.push(0x40 | layout.local);
        self.records.push(0); // reserved
        self.records.push(0); // little-endian
        self.records.extend_from_slice(&layout.global.to_le_bytes());
        self.records.push(layout.fields.len() as u8);
        for &(number, base) in layout.fields {
            self.records
                .extend_from_slice(&[number, base.size() as u8, base.code()]);
        }
    }

    /// The whole file: header, messages, CRC.
    pub fn finish(self) -> Vec<u8> {
        let mut file = Vec::with_capacity(self.records.len() + 16);
        file.push(14); // header size
        file.push(PROTOCOL_VERSION);
        file.extend_from_slice(&PROFILE_VERSION.to_le_bytes());
        file.extend_from_slice(&(self.records.len() as u32).to_le_bytes());
        file.extend_from_slice(b".FIT");
        let header_crc = crc(&file);
        file.extend_from_slice(&header_crc.to_le_bytes());
        file.extend_from_slice(&self.records);
        let file_crc = crc(&file);
        file.extend_from_slice(&file_crc.to_le_bytes());
        file
    }
}

/// FIT's CRC-16 (the SDK's nibble table).
pub fn crc(bytes: &[u8]) -> u16 {
    const TABLE: [u16; 16] = [
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401, 0xA001, 0x6C00, 0x7800,
        0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    ];
    bytes.iter().fold(0u16, |mut crc, &byte| {
        let tmp = TABLE[usize::from(crc & 0xF)];
        crc = (crc >> 4) & 0x0FFF;
        crc = crc ^ tmp ^ TABLE[usize::from(byte & 0xF)];
        let tmp = TABLE[usize::from(crc & 0xF)];
        crc = (crc >> 4) & 0x0FFF;
        crc ^ tmp ^ TABLE[usize::from(byte >> 4)]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_checks_out_to_a_zero_crc() {
        // A FIT file's CRC over everything including the CRC is zero.
        let file = FitWriter::new().finish();
        assert_eq!(file.len(), 16);
        assert_eq!(crc(&file), 0);
        assert_eq!(crc(&file[..14]), 0);
    }
}
