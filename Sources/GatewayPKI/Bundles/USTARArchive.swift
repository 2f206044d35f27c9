import Foundation

/// Writes a POSIX ustar archive (POSIX.1-1988 / IEEE Std 1003.1 `pax` "ustar" interchange format)
/// of regular files: each file is a 512-byte header and its contents padded to 512 bytes, and the
/// archive ends with two zero blocks. GNU tar, BusyBox tar and bsdtar all read it.
enum USTARArchive {
    static let blockSize = 512

    /// The archive of `files` (names up to 100 bytes, at the archive's top level), all with
    /// modification time `modifiedAt` (whole seconds since 1970, clamped to what 11 octal digits hold).
    static func archive(_ files: [(name: String, contents: [UInt8], mode: UInt16)], modifiedAt: Date) -> [UInt8] {
        let mtime = Self.seconds(modifiedAt)
        var archive: [UInt8] = []
        archive.reserveCapacity(files.reduce(2 * blockSize) { $0 + blockSize + Self.padded($1.contents.count) })
        for file in files {
            archive += header(name: file.name, size: file.contents.count, mode: file.mode, mtime: mtime)
            archive += file.contents
            archive += [UInt8](repeating: 0, count: padded(file.contents.count) - file.contents.count)
        }
        archive += [UInt8](repeating: 0, count: 2 * blockSize)
        return archive
    }

    /// The ustar header block of a regular file.
    static func header(name: String, size: Int, mode: UInt16, mtime: UInt64) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: blockSize)
        func put(_ bytes: some Collection<UInt8>, at offset: Int, width: Int) {
            for (index, byte) in bytes.prefix(width).enumerated() { block[offset + index] = byte }
        }
        // Numeric fields are zero-padded octal followed by NUL.
        func putOctal(_ value: UInt64, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8, at: offset, width: width - 1)
        }
        put(name.utf8, at: 0, width: 100)  // name
        putOctal(UInt64(mode), at: 100, width: 8)  // mode
        putOctal(0, at: 108, width: 8)  // uid
        putOctal(0, at: 116, width: 8)  // gid
        putOctal(UInt64(size), at: 124, width: 12)  // size
        putOctal(mtime, at: 136, width: 12)  // mtime
        put([UInt8](repeating: 0x20, count: 8), at: 148, width: 8)  // chksum counts as spaces while summing
        block[156] = UInt8(ascii: "0")  // typeflag: regular file
        put("ustar\0".utf8, at: 257, width: 6)  // magic
        put("00".utf8, at: 263, width: 2)  // version
        putOctal(0, at: 329, width: 8)  // devmajor
        putOctal(0, at: 337, width: 8)  // devminor
        // chksum: the unsigned sum of the header bytes, six octal digits, NUL, space.
        let checksum = block.reduce(UInt64(0)) { $0 + UInt64($1) }
        putOctal(checksum, at: 148, width: 7)
        block[154] = 0
        block[155] = 0x20
        return block
    }

    static func padded(_ count: Int) -> Int { (count + blockSize - 1) / blockSize * blockSize }

    /// Whole seconds since 1970 in the 11 octal digits of the mtime field.
    static func seconds(_ date: Date) -> UInt64 {
        let interval = date.timeIntervalSince1970.rounded(.down)
        guard interval.isFinite, interval > 0 else { return 0 }
        return interval < 0o77777777777 ? UInt64(interval) : 0o77777777777
    }
}
