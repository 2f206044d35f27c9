import ArgumentParser
import Foundation
import GatehouseServer
import GatewayPKI
import JoinServer
import Logging
import Storage

/// Where the administrative commands find Gatehouse's state: the same data directory and database
/// the server uses (SQLite allows the CLI beside a running server).
struct AdminOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (env GATEHOUSE_DATA_DIR; default ./gatehouse-data).")
    var dataDirectory: String?

    @Option(name: .customLong("database-url"), help: "PostgreSQL URL (env GATEHOUSE_DATABASE_URL; default: SQLite in the data directory).")
    var databaseURL: String?

    /// The configuration these options and the environment name, as `gatehouse serve` would read it.
    func configuration() throws -> GatehouseConfiguration {
        do {
            return try GatehouseConfiguration(
                commandLine: .init(dataDirectory: dataDirectory, databaseURL: databaseURL), environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CommandLineFailure.usage(error.description)
        }
    }

    /// The CLI's logger: errors only, on stderr, so a command's output stays its own.
    var logger: Logger {
        Logger(label: "gatehouse.cli") { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .error
            return handler
        }
    }

    /// Opens the services, runs `body`, closes them; turns the roles' and storage's refusals into one
    /// line on stderr with exit status 1.
    func withServices<T>(_ body: (GatehouseServices) async throws -> T) async throws -> T {
        let configuration = try configuration()
        let logger = logger
        let services: GatehouseServices
        do { services = try await GatehouseServices.open(configuration, logger: logger) } catch {
            throw CommandLineFailure.invalidData("cannot open the database: \(error)")
        }
        do {
            let result = try await body(services)
            await services.close()
            return result
        } catch let error as PKIError {
            await services.close()
            throw CommandLineFailure.invalidData(error.description)
        } catch let error as StorageError {
            await services.close()
            throw CommandLineFailure.invalidData(error.description)
        } catch let error as JoinRegistryError {
            await services.close()
            throw CommandLineFailure.invalidData(error.description)
        } catch {
            await services.close()
            throw error
        }
    }

    /// The data directory in effect, for files the CLI reads beside the database.
    var effectiveDataDirectory: String {
        dataDirectory ?? ProcessInfo.processInfo.environment["GATEHOUSE_DATA_DIR"] ?? GatehouseConfiguration.defaultDataDirectory
    }
}

/// Who the audit log records for a command-line action.
var commandLineActor: String { "cli:\(ProcessInfo.processInfo.userName)" }

func readTextFile(_ path: String, option: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        throw CommandLineFailure.usage("\(option): cannot read \(path)")
    }
    return text
}

/// Writes a file with the given POSIX mode, refusing to overwrite (a key file must not replace another).
func writeNewFile(_ path: String, _ contents: [UInt8], mode: UInt16) throws {
    guard !FileManager.default.fileExists(atPath: path) else {
        throw CommandLineFailure.invalidData("\(path) already exists; choose an empty --out folder")
    }
    guard FileManager.default.createFile(atPath: path, contents: Data(contents), attributes: [.posixPermissions: NSNumber(value: mode)]) else {
        throw CommandLineFailure.invalidData("cannot write \(path)")
    }
}

func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
