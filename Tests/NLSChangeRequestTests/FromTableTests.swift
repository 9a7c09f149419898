import Foundation
import NLSChangeRequest
import NLSProbeCore
import Testing

@Suite struct FromTableTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Profiles/examples").standardized.path

    func build(_ text: String, file: String, options: TableProfileOptions = TableProfileOptions()) throws
        -> TableProfile
    {
        let read = TableReader.parse(Data(text.utf8), file: file, format: TableFormat.fromExtension(of: file))
        return try TableProfileBuilder.build(tables: read.tables, readIssues: read.issues, file: file, options: options)
    }

    func problems(_ data: Data, file: String, defines: [String] = []) -> [String] {
        let read = TableReader.parse(data, file: file, format: TableFormat.fromExtension(of: file))
        do {
            _ = try TableProfileBuilder.build(
                tables: read.tables, readIssues: read.issues, file: file, options: TableProfileOptions(defines: defines)
            )
            return []
        } catch {
            switch error {
            case .invalid(let issues): return issues.map(\.description)
            case .unreadable: return ["\(error)"]
            }
        }
    }

    /// The profile text read back by the loader, as `nlsprobe validate` does.
    func validated(_ made: TableProfile) throws -> Profile {
        try ProfileLoader().parse(made.yaml, file: "made.yaml")
    }

    /// NVIDIA's own CLS table layout, "TLS, TCP" included, with its names defined below it.
    @Test func theDocumentationsCLSTable() throws {
        let path = Self.examples + "/cls-change-request.md"
        let made = try TableProfileBuilder.build(path: path, options: TableProfileOptions(tlsPorts: [443]))
        let profile = try validated(made)
        #expect(profile.name == "cls-change-request")
        #expect(
            profile.sources == [
                SourceGroup(
                    name: "client", description: "Client (defined in cls-change-request.md line 15)",
                    subnets: [CIDR("10.10.20.0/24"), CIDR("10.10.21.0/24")].compactMap { $0 })
            ])
        #expect(profile.destinations.map(\.hosts) == [["api.cls.licensing.nvidia.com"]])
        #expect(profile.flows.map(\.proto) == [.tls, .tcp])
        #expect(profile.flows.map(\.portLabel) == ["443", "80"])
        #expect(profile.flows.map(\.direction) == [.egress, .egress])
        #expect(profile.flows[0].services == ["License acquisition", "License renewal"])
        #expect(
            made.yaml.contains(
                "# cls-change-request.md line 8: 443 | TLS, TCP | Egress | License acquisition, License renewal | Client | CLS\n# TCP on 443: checked with TLS (--tls-ports)\n- port: 443\n"
            ))
        // Without --tls-ports nothing is checked with TLS that the table wrote as TCP.
        let plain = try validated(TableProfileBuilder.build(path: path, options: TableProfileOptions()))
        #expect(plain.flows.map(\.proto) == [.tcp, .tcp])
    }

    /// A DLS HA table as a spreadsheet exports it: node-to-node rows, a port list, a block row.
    @Test func aDLSHATable() throws {
        let made = try TableProfileBuilder.build(
            path: Self.examples + "/dls-ha-change-request.csv", options: TableProfileOptions(tlsPorts: [443, 8082]))
        let profile = try validated(made)
        #expect(profile.sources.map(\.name) == ["vdi-clients"])
        #expect(profile.destinations.map(\.name) == ["dls-nodes"])
        #expect(
            profile.flows.map(\.from) == [
                "vdi-clients", "vdi-clients", "vdi-clients", "dls-nodes", "dls-nodes", "vdi-clients",
            ])
        #expect(profile.flows.map(\.proto) == [.tls, .tcp, .tls, .tls, .tcp, .tcp])
        #expect(profile.flows.map(\.portLabel) == ["443", "80", "8082", "5671", "8081, 8084", "22"])
        #expect(profile.flows.map(\.expect) == [.allow, .allow, .allow, .allow, .allow, .block])
        #expect(profile.flows[2].note == "only when the token names 8082")
        #expect(profile.flows.allSatisfy { $0.direction == .ingress })
        let comments = made.yaml.split(separator: "\n").filter { $0.hasPrefix("# dls-ha-change-request.csv line ") }
        #expect(comments.count == 6)
    }

    @Test func headingsInTheirUsualSpellingsSeparatorsAndEncodings() throws {
        let semicolons = "PORTS;proto;Direction;Services;Src;Dst\n8081–8085;tcp;Ingress;HA;10.1.0.0/16;198.18.0.2\n"
        let profile = try validated(build(semicolons, file: "t.csv"))
        #expect(profile.flows.map(\.portLabel) == ["8081-8085"])
        let tsv =
            "Port\tProtocol\tEg-/Ingress\tService\tSource\tDestination\n443/tcp\tHTTPS\tOutbound\tx\tvdi\tlic.example.com\n"
        let defined = try validated(
            build(tsv, file: "t.tsv", options: TableProfileOptions(defines: ["vdi=10.1.0.0/16, 10.2.0.1"])))
        #expect(defined.sources.first?.subnets.map(\.description) == ["10.1.0.0/16", "10.2.0.1/32"])
        #expect(defined.flows.map(\.proto) == [.https])
        // A spreadsheet's "Unicode text": UTF-16 with a byte order mark.
        var utf16 = Data([0xFF, 0xFE])
        utf16.append(tsv.data(using: .utf16LittleEndian) ?? Data())
        let read = TableReader.parse(utf16, file: "t.txt", format: nil)
        #expect(read.issues.isEmpty)
        #expect(
            read.tables.first?.rows.first?.cells.map(\.text) == [
                "443/tcp", "HTTPS", "Outbound", "x", "vdi", "lic.example.com",
            ])
    }

    @Test func tcpRowsSplitWhereSomePortsAreTLSPorts() throws {
        let text =
            "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n\"80, 443, 8081-8090\",TCP,Egress,x,10.1.0.0/16,lic.example.com\n"
        let profile = try validated(build(text, file: "t.csv", options: TableProfileOptions(tlsPorts: [443])))
        #expect(profile.flows.map(\.proto) == [.tls, .tcp])
        #expect(
            profile.flows.map(\.portLabel) == ["443", "80, 8081, 8082, 8083, 8084, 8085, 8086, 8087, 8088, 8089, 8090"])
    }

    @Test(arguments: BrokenTables.cases)
    func brokenTablesNameFileRowAndColumn(_ broken: BrokenTables.Case) {
        #expect(problems(broken.data, file: broken.file) == broken.expected)
    }

    @Test func brokenDefinitionsOnTheCommandLine() {
        let text = "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,x,vdi,lic.example.com\n"
        #expect(
            problems(Data(text.utf8), file: "t.csv", defines: ["vdi", "dls=10.1.0.0/16, 10.1.0.0/40"]) == [
                "--define:1:1: 'vdi' is not NAME=SUBNETS/HOSTS; write it as --define 'Client=10.1.0.0/16'",
                "--define:2:18: '10.1.0.0/40' is neither a subnet (CIDR), an address nor a host name",
                "t.csv:2:18: unknown name 'vdi' in Source: define it in a table of names (Name | Subnets/hosts) or with --define 'vdi=10.1.0.0/16', or write its subnets or full host names",
            ])
    }

    @Test func portLists() {
        func text(_ cell: String) -> String {
            switch PortList.parse(cell) {
            case .success(let ranges): PortList.text(ranges)
            case .failure(let error): "error: \(error.message)"
            }
        }
        #expect(text("443") == "443")
        #expect(text("80, 443; 8081-8083 8084") == "80, 443, 8081-8084")
        #expect(text("8081 - 8085") == "8081-8085")
        #expect(text("8081 to 8085") == "8081-8085")
        #expect(text("80 and 443") == "80, 443")
        #expect(text("0") == "error: port 0 is out of range; ports are 1-65535")
        #expect(text("99999999999") == "error: port 99999999999 is out of range; ports are 1-65535")
    }
}
