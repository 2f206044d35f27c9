extension ManufacturerBatch {
    /// Parses CSV (RFC 4180): a header line naming the columns, then one device per line. Lines end in
    /// LF or CRLF; blank lines and a leading byte-order mark (spreadsheets write one) are skipped. A
    /// cell may be quoted (`"..."`, with `""` for a quote), which a claim code holding `,` or `"` needs;
    /// spaces around a cell are trimmed, since no field may start or end with one. No cell spans lines.
    public static func parse(csv text: String) throws(ManufacturerBatchError) -> [ManufacturerDevice] {
        var bytes = Array(text.utf8)
        guard bytes.count <= maximumDocumentBytes else { throw .tooLarge(bytes: bytes.count, maximum: maximumDocumentBytes) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }

        var columns: [ManufacturerBatchField]?
        var collector = BatchCollector<ManufacturerDevice>()
        var lineNumber = 0
        for rawLine in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { continue }
            let cells: [String]
            do {
                cells = try CSVLine.cells(line)
            } catch {
                throw .malformedRow(line: lineNumber, error)
            }
            guard let header = columns else {
                columns = try headerColumns(cells)
                continue
            }
            guard cells.count == header.count else {
                throw .malformedRow(line: lineNumber, .wrongCellCount(expected: header.count, actual: cells.count))
            }
            guard collector.records.count < maximumDevices else { throw .tooManyDevices(maximum: maximumDevices) }
            let location = RecordLocation.line(lineNumber)
            let device = try ManufacturerDevice(fields: Dictionary(uniqueKeysWithValues: zip(header, cells)), at: location)
            if let first = collector.append(device, devEUI: device.devEUI, at: location) {
                throw .duplicateDevEUI(device.devEUI, first: first, again: location)
            }
        }
        guard columns != nil else { throw .empty }
        guard !collector.records.isEmpty else { throw .empty }
        return collector.records
    }

    /// The fields the header names, in column order: each known, none twice, every required one there.
    private static func headerColumns(_ cells: [String]) throws(ManufacturerBatchError) -> [ManufacturerBatchField] {
        var columns: [ManufacturerBatchField] = []
        for (offset, cell) in cells.enumerated() {
            // Header names are matched without regard to case: spreadsheets like to capitalise.
            guard let field = ManufacturerBatchField(rawValue: cell.lowercased()) else { throw .unknownColumn(position: offset + 1) }
            guard !columns.contains(field) else { throw .duplicateColumn(field) }
            columns.append(field)
        }
        if let missing = ManufacturerBatchField.allCases.first(where: { $0.isRequired && !columns.contains($0) }) {
            throw .missingColumn(missing)
        }
        return columns
    }
}

/// Splits one CSV line into cells (RFC 4180 quoting, no cell spanning lines).
enum CSVLine {
    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")

    static func cells(_ line: ArraySlice<UInt8>) throws(CSVRowProblem) -> [String] {
        var cells: [String] = []
        var index = line.startIndex
        while true {
            let column = cells.count + 1
            index = skipBlanks(line, from: index)
            var cell: [UInt8] = []
            if index < line.endIndex, line[index] == quote {
                index += 1
                while true {
                    guard index < line.endIndex else { throw .unterminatedQuote(column: column) }
                    if line[index] == quote {
                        // `""` is a quote inside the cell; a lone `"` closes it.
                        if index + 1 < line.endIndex, line[index + 1] == quote {
                            cell.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    cell.append(line[index])
                    index += 1
                }
                index = skipBlanks(line, from: index)
                guard index == line.endIndex || line[index] == comma else { throw .textAfterQuote(column: column) }
            } else {
                while index < line.endIndex, line[index] != comma {
                    guard line[index] != quote else { throw .quoteInUnquotedCell(column: column) }
                    cell.append(line[index])
                    index += 1
                }
                while let last = cell.last, isBlank(last) { cell.removeLast() }
            }
            cells.append(String(decoding: cell, as: UTF8.self))
            guard index < line.endIndex else { return cells }
            index += 1  // the comma
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    private static func skipBlanks(_ line: ArraySlice<UInt8>, from start: Int) -> Int {
        var index = start
        while index < line.endIndex, isBlank(line[index]) { index += 1 }
        return index
    }
}
