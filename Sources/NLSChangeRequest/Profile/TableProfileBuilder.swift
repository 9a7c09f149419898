import Foundation
import NLSProbeCore

/// Makes a profile of a change-request table: the flows table (Port | Protocol | Eg-/Ingress |
/// Service | Source | Destination, in the usual spellings), the names it uses (a table
/// `Name | Subnets/hosts`, or `--define`), every problem reported at once as `FILE:row:column:
/// message`, and nothing guessed: an unknown name is an error with the nearest defined one.
public enum TableProfileBuilder {
    /// The most flow rows read.
    public static let maxRows = 5000
    /// The longest cell read, in characters.
    public static let maxCellLength = 1000

    /// Reads the table at `path` and makes its profile.
    public static func build(path: String, options: TableProfileOptions) throws(ChangeRequestError) -> TableProfile {
        let read = try TableReader.read(path: path, format: options.format)
        return try build(tables: read.tables, readIssues: read.issues, file: path, options: options)
    }

    /// Makes the profile of tables already read; `readIssues` are the reader's problems.
    public static func build(
        tables: [Table], readIssues: [ProfileIssue], file: String, options: TableProfileOptions
    ) throws(ChangeRequestError) -> TableProfile {
        var builder = ProfileAssembly(file: file, options: options)
        builder.issues = readIssues
        builder.defineFromCommandLine()
        let (flowTables, definitionTables) = builder.classify(tables)
        for table in definitionTables { builder.readDefinitions(table) }
        for table in flowTables { builder.readRows(table) }
        if flowTables.isEmpty && builder.issues.isEmpty {
            builder.issue(
                1, 1,
                "no change-request table found: expected a heading row with Port, Protocol, Eg-/Ingress, Service, Source and Destination"
            )
        }
        let tableProfile = builder.profile()
        var issues = builder.commandLineIssues + builder.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        if issues.isEmpty {
            do {
                _ = try ProfileLoader().parse(tableProfile.yaml, file: file)
            } catch {
                issues.append(
                    ProfileIssue(
                        file: file, line: 1, column: 1,
                        message: "the profile made from the table does not validate: \(error)"))
            }
        }
        guard issues.isEmpty else { throw .invalid(ProfileAssembly.capped(issues, file: file)) }
        return tableProfile
    }
}
