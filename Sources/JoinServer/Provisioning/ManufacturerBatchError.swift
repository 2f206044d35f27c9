import LoRaWAN

/// Why a manufacturer's batch was refused. A batch is imported whole or not at all, so the error is
/// the first problem found, with where it is and which field. No case carries a field's value: a key
/// or a claim code can sit in any column of a broken file, and errors end up in logs and API responses.
public enum ManufacturerBatchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The JSON document is not JSON, or not an object with a `devices` array.
    case malformedJSON
    /// The document is larger than any batch of `ManufacturerBatch.maximumDevices` devices can be.
    case tooLarge(bytes: Int, maximum: Int)
    case tooManyDevices(maximum: Int)
    case empty
    /// The CSV has no header line, or a header without this required column.
    case missingColumn(ManufacturerBatchField)
    /// The header's column at this 1-based position is not a known field.
    case unknownColumn(position: Int)
    case duplicateColumn(ManufacturerBatchField)
    /// A CSV line whose cells cannot be read.
    case malformedRow(line: Int, CSVRowProblem)
    /// A JSON device entry that is not an object.
    case notAnObject(at: RecordLocation)
    /// A JSON device object with a member that is not a known field.
    case unknownField(at: RecordLocation)
    case invalidField(at: RecordLocation, ManufacturerBatchField, FieldProblem)
    /// The same DevEUI twice in one batch: which record should win is not the importer's to guess.
    case duplicateDevEUI(EUI64, first: RecordLocation, again: RecordLocation)

    public var description: String {
        switch self {
        case .malformedJSON: "the batch is not a JSON object with a \"devices\" array of device objects"
        case .tooLarge(let bytes, let maximum): "the batch is \(bytes) bytes, more than the maximum \(maximum)"
        case .tooManyDevices(let maximum): "the batch has more than \(maximum) devices; split it"
        case .empty: "the batch holds no devices"
        case .missingColumn(let field): "the CSV header has no \(field) column (the columns are \(ManufacturerBatchField.allNames))"
        case .unknownColumn(let position): "column \(position) of the CSV header is not one of \(ManufacturerBatchField.allNames)"
        case .duplicateColumn(let field): "the CSV header has the \(field) column twice"
        case .malformedRow(let line, let problem): "line \(line): \(problem)"
        case .notAnObject(let location): "\(location) is not a JSON object"
        case .unknownField(let location): "\(location) has a field that is not one of \(ManufacturerBatchField.allNames)"
        case .invalidField(let location, let field, let problem): "\(location): \(field) \(problem)"
        case .duplicateDevEUI(let devEUI, let first, let again): "DevEUI \(devEUI) appears twice, at \(first) and \(again)"
        }
    }
}

/// Why a CSV line cannot be split into cells.
public enum CSVRowProblem: Error, Hashable, Sendable, CustomStringConvertible {
    case wrongCellCount(expected: Int, actual: Int)
    /// A quoted cell has no closing quote on its line (no field of a batch spans lines).
    case unterminatedQuote(column: Int)
    /// Text between a closing quote and the next comma.
    case textAfterQuote(column: Int)
    /// A `"` inside a cell that does not start with one (RFC 4180 asks for the cell to be quoted).
    case quoteInUnquotedCell(column: Int)

    public var description: String {
        switch self {
        case .wrongCellCount(let expected, let actual): "\(actual) cells, the header has \(expected)"
        case .unterminatedQuote(let column): "the quoted cell in column \(column) is not closed"
        case .textAfterQuote(let column): "text follows the closing quote in column \(column)"
        case .quoteInUnquotedCell(let column): "column \(column) has a '\"' but is not quoted"
        }
    }
}
