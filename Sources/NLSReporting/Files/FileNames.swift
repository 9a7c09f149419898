/// File names built from names read from profiles and reports (profile names, groups, hosts):
/// whatever the name holds, the file lands in the folder it is written to.
public enum FileNames {
    /// The longest component this returns, in bytes: room is left for a time stamp, an extension
    /// and the temporary-file decoration within the usual 255-byte limit.
    public static let maximumLength = 100

    /// `name` as one safe path component: only `A-Z a-z 0-9 . _ -` (others become `_`), no leading
    /// dot (so never `.` or `..`), at most ``maximumLength`` bytes, never empty (`unnamed`).
    public static func safeComponent(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars.prefix(maximumLength) {
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "-": out.unicodeScalars.append(scalar)
            default: out += "_"
            }
        }
        while out.hasPrefix(".") { out = "_" + out.dropFirst() }
        return out.isEmpty ? "unnamed" : out
    }

    /// `folder/NAME-STAMP.SUFFIX` style paths: `folder` + `/` + each part made safe, joined by `-`,
    /// then `suffix` (our own text: ".json", ".junit.xml").
    public static func path(in folder: String, parts: [String], suffix: String) -> String {
        let name = parts.map(safeComponent).joined(separator: "-") + suffix
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
