import Foundation
import NLSChangeRequest
import NLSProbeCore
import Testing

/// Broken change-request tables: every problem, at once, as FILE:row:column: message.
enum BrokenTables {
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var text: String
        /// Written as Latin-1 (a row in another encoding), not UTF-8.
        var latin1 = false
        var expected: [String]

        var testDescription: String { file }

        var data: Data {
            latin1 ? Data(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }) : Data(text.utf8)
        }
    }

    static let cases: [Case] = [
        Case(
            file: "01-missing-column.csv",
            text:
                "Port,Protocol,Service,Source,Destination\n443,TCP,Lic,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "01-missing-column.csv:1:1: the table has no Eg-/Ingress column (its headings: 'Port', 'Protocol', 'Service', 'Source', 'Destination'); a change request needs Port, Protocol, Eg-/Ingress, Source and Destination"
            ]),
        Case(
            file: "02-bad-port.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n44x3,TCP,Egress,Lic,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "02-bad-port.csv:2:1: '44x3' is not a port; write a port (443), a list (80, 443) or a range (8081-8085); ports are 1-65535"
            ]),
        Case(
            file: "03-port-out-of-range.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n70000,TCP,Egress,Lic,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "03-port-out-of-range.csv:2:1: port 70000 is out of range; ports are 1-65535"
            ]),
        Case(
            file: "04-backwards-range.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n8085-8081,TCP,Egress,Lic,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "04-backwards-range.csv:2:1: port range '8085-8081' runs backwards; write the lower port first (8081-8085)"
            ]),
        Case(
            file: "05-port-twice.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n\"443, 80, 443\",TCP,Egress,Lic,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "05-port-twice.csv:2:1: port 443 is named twice in this cell; name each port once"
            ]),
        Case(
            file: "06-empty-port.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n,TCP,Egress,Lic,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "06-empty-port.csv:2:1: the Port cell is empty; write a port (443), a list (80, 443) or a range (8081-8085); ports are 1-65535"
            ]),
        Case(
            file: "07-udp.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n123/udp,TCP,Egress,NTP,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "07-udp.csv:2:1: '123/udp' is a UDP port; nlsprobe checks TCP paths only: leave UDP rows out of the table it reads"
            ]),
        Case(
            file: "08-unknown-protocol.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TPC,Egress,Lic,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "08-unknown-protocol.csv:2:5: 'tpc' is not a protocol nlsprobe checks (did you mean TCP?); write TCP, TLS, HTTPS or HTTP"
            ]),
        Case(
            file: "09-udp-protocol.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n123,UDP,Egress,NTP,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "09-udp-protocol.csv:2:5: UDP cannot be checked: nlsprobe checks TCP paths only; leave UDP rows out of the table it reads"
            ]),
        Case(
            file: "10-bad-direction.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egres,Lic,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "10-bad-direction.csv:2:9: 'Egres' is not a direction (did you mean Egress?); write Egress or Ingress"
            ]),
        Case(
            file: "11-unknown-source.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,Clinet,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "11-unknown-source.csv:2:20: unknown name 'Clinet' in Source (did you mean 'Client'?): define it in a table of names (Name | Subnets/hosts) or with --define 'Clinet=10.1.0.0/16', or write its subnets or full host names"
            ]),
        Case(
            file: "12-unknown-destination.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,Client,CLSS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "12-unknown-destination.csv:2:27: unknown name 'CLSS' in Destination (did you mean 'CLS'?): define it in a table of names (Name | Subnets/hosts) or with --define 'CLSS=license.example.com', or write its subnets or full host names"
            ]),
        Case(
            file: "13-bad-subnet.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,10.1.0.0/33,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "13-bad-subnet.csv:2:20: '10.1.0.0/33' is not a subnet (CIDR such as 10.1.0.0/16) or an IP address"
            ]),
        Case(
            file: "14-duplicate-row.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,Client,CLS\n80,TCP,Egress,Rel,Client,CLS\n443,TCP,Egress,Lic,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "14-duplicate-row.csv:4:1: this row repeats the row at line 2 (same ports, protocol, direction, source and destination); delete one"
            ]),
        Case(
            file: "15-overlap.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,Client,CLS\n\"80, 443\",TCP,Egress,Rel,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "15-overlap.csv:3:1: port 443 is already in the row at line 2 for the same source and destination; name each port once"
            ]),
        Case(
            file: "16-latin1-row.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Licen\u{E7}e acquisition,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            latin1: true,
            expected: [
                "16-latin1-row.csv:2:21: this row is not UTF-8 text: byte 0xE7 is not valid UTF-8 (this row looks like Latin-1 or Windows-1252); save the table as UTF-8 (a spreadsheet's \"CSV UTF-8\") and read it again"
            ]),
        Case(
            file: "17-unknown-column.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Sorce,Destination\n443,TCP,Egress,Lic,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "17-unknown-column.csv:1:35: unknown column 'Sorce' (did you mean 'Source'?)"
            ]),
        Case(
            file: "18-duplicate-column.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination,Src\n443,TCP,Egress,Lic,Client,CLS,Client\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "18-duplicate-column.csv:1:54: a second Source column ('Src'; the first is 'Source' at column 35); keep one"
            ]),
        Case(
            file: "19-destination-subnet.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,Client,10.2.0.0/16\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "19-destination-subnet.csv:2:27: '10.2.0.0/16' is a subnet: nlsprobe connects to hosts, so a Destination names addresses or host names (a /32 is one address)"
            ]),
        Case(
            file: "20-any-source.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,Any,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "20-any-source.csv:2:20: 'Any' stands for every address, which nlsprobe cannot check from or to: name the subnets or hosts (or define 'Any' with --define)"
            ]),
        Case(
            file: "21-short-row.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,Client\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "21-short-row.csv:2:20: the row has 5 cells and no Destination cell (the heading has 6 columns)"
            ]),
        Case(
            file: "22-extra-cell.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,Client,CLS,oops\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "22-extra-cell.csv:2:31: this cell is beyond the last column ('Destination'): a separator too many, or a heading missing"
            ]),
        Case(
            file: "23-unclosed-quote.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,\"Lic,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "23-unclosed-quote.csv:2:16: a quoted cell is never closed: the file ends inside it; add the closing '\"'",
                "23-unclosed-quote.csv:2:16: the row has 4 cells and no Source cell (the heading has 6 columns)",
                "23-unclosed-quote.csv:2:16: the row has 4 cells and no Destination cell (the heading has 6 columns)",
            ]),
        Case(
            file: "24-contradiction.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination,Expect\n443,TCP,Egress,Lic,Client,CLS,allow\n443,TCP,Egress,Lic,Client,CLS,block\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "24-contradiction.csv:3:1: port 443 contradicts the row at line 2, which says allow for the same source and destination; keep one"
            ]),
        Case(
            file: "25-bad-expect.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination,Action\n443,TCP,Egress,Lic,Client,CLS,maybe\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "25-bad-expect.csv:2:31: 'maybe' is not an expectation; write allow or block (or leave it empty: allow)"
            ]),
        Case(
            file: "26-name-defined-twice.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com\nclient,10.2.0.0/16",
            expected: [
                "26-name-defined-twice.csv:7:1: 'client' is already defined (26-name-defined-twice.csv line 5); define each name once"
            ]),
        Case(
            file: "27-bad-definition.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,Client,CLS\n\nName,Subnets/hosts\nClient,\"10.1.0.0/16, 10.300.0.0/16\"\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "27-bad-definition.csv:5:21: '10.300.0.0/16' is neither a subnet (CIDR), an address nor a host name"
            ]),
        Case(
            file: "28-control-character.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic\u{7}ense,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "28-control-character.csv:2:16: control character \\u{7} in this cell; remove it"
            ]),
        Case(
            file: "29-self-flow-one-host.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n5671,TLS,Ingress,HA,CLS,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "29-self-flow-one-host.csv:2:21: a flow from 'CLS' to itself needs at least two hosts to form pairs"
            ]),
        Case(
            file: "30-no-table.csv",
            text: "Hello,this is not a change request\njust,text",
            expected: [
                "30-no-table.csv:1:1: a table with the headings 'Hello', 'this is not a change request' is neither a change request (Port | Protocol | Eg-/Ingress | Service | Source | Destination) nor a table of names (Name | Subnets/hosts)"
            ]),
        Case(
            file: "31-mixed-source.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,\"10.1.0.0/16, dls.example.com\",CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "31-mixed-source.csv:2:20: the Source mixes the subnet '10.1.0.0/16' and the host name 'dls.example.com': a source is client subnets or hosts that initiate, not both; split the row"
            ]),
        Case(
            file: "32-empty-source.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "32-empty-source.csv:2:20: the Source cell is empty; write subnets, addresses, host names or a defined name"
            ]),
        Case(
            file: "33-markdown-many.md",
            text:
                "| Port | Protocol | Eg-/Ingress | Service | Source | Destination |\n| --- | --- | --- | --- | --- | --- |\n| 443 | TCP | Egress | Lic | Client | CLS |\n| 80 | TCP | Egres | Rel | Clinet | CLS |\n",
            expected: [
                "33-markdown-many.md:3:30: unknown name 'Client' in Source: define it in a table of names (Name | Subnets/hosts) or with --define 'Client=10.1.0.0/16', or write its subnets or full host names",
                "33-markdown-many.md:3:39: unknown name 'CLS' in Destination: define it in a table of names (Name | Subnets/hosts) or with --define 'CLS=license.example.com', or write its subnets or full host names",
                "33-markdown-many.md:4:14: 'Egres' is not a direction (did you mean Egress?); write Egress or Ingress",
                "33-markdown-many.md:4:28: unknown name 'Clinet' in Source: define it in a table of names (Name | Subnets/hosts) or with --define 'Clinet=10.1.0.0/16', or write its subnets or full host names",
                "33-markdown-many.md:4:37: unknown name 'CLS' in Destination: define it in a table of names (Name | Subnets/hosts) or with --define 'CLS=license.example.com', or write its subnets or full host names",
            ]),
        Case(
            file: "34-http-and-https.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,\"HTTP, HTTPS\",Egress,Lic,Client,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "34-http-and-https.csv:2:5: 'HTTP, HTTPS' names both HTTP and HTTPS; write one protocol per row"
            ]),
        Case(
            file: "35-nested-name.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,Clients,CLS\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nClients,Client\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "35-nested-name.csv:6:9: 'Client' is a defined name; a definition lists subnets, addresses or host names, not other names"
            ]),
        Case(
            file: "36-markdown-latin1.md",
            text:
                "| Port | Protocol | Eg-/Ingress | Service | Source | Destination |\n| --- | --- | --- | --- | --- | --- |\n| 443 | TCP | Egress | Licen\u{E7}e | 10.1.0.0/16 | api.cls.licensing.nvidia.com |\n",
            latin1: true,
            expected: [
                "36-markdown-latin1.md:3:29: this row is not UTF-8 text: byte 0xE7 is not valid UTF-8 (this row looks like Latin-1 or Windows-1252); save the table as UTF-8 (a spreadsheet's \"CSV UTF-8\") and read it again"
            ]),
        Case(
            file: "37-tsv-letter-o.tsv",
            text:
                "Port\tProtocol\tEg-/Ingress\tService\tSource\tDestination\n443;80\tTCP\tEgress\tLic\t10.1.0.0/16\tapi.cls.licensing.nvidia.com\n8O\tTCP\tEgress\tRel\t10.1.0.0/16\tapi.cls.licensing.nvidia.com\n",
            expected: [
                "37-tsv-letter-o.tsv:3:1: '8O' is not a port; write a port (443), a list (80, 443) or a range (8081-8085); ports are 1-65535"
            ]),
        Case(
            file: "38-ticket-without-table.md",
            text: "Please open 443 from the VDI subnet to the CLS.\nThanks!",
            expected: [
                "38-ticket-without-table.md:1:1: no change-request table found: expected a heading row with Port, Protocol, Eg-/Ingress, Service, Source and Destination"
            ]),
        Case(
            file: "39-single-label-host.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,Client,dlsserver\n\nName,Subnets/hosts\nClient,10.1.0.0/16\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "39-single-label-host.csv:2:27: unknown name 'dlsserver' in Destination: define it in a table of names (Name | Subnets/hosts) or with --define 'dlsserver=license.example.com', or write its subnets or full host names"
            ]),
        Case(
            file: "40-empty-definition.csv",
            text:
                "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n443,TCP,Egress,Lic,Client,CLS\n\nName,Subnets/hosts\nClient,\nCLS,api.cls.licensing.nvidia.com",
            expected: [
                "40-empty-definition.csv:5:1: 'Client' is defined as nothing; list its subnets (10.1.0.0/16), addresses or host names"
            ]),
    ]
}
