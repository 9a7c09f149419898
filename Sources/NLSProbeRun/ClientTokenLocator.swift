import Foundation
import NLSLicensing

/// Finds the client configuration token a licensed client uses: the file its gridd.conf names
/// (`ClientConfigTokenPath`), or the newest `.tok` in `/etc/nvidia/ClientConfigToken/`.
public enum ClientTokenLocator {
    /// The folder the NVIDIA driver reads tokens from when gridd.conf names none.
    public static let defaultFolder = "/etc/nvidia/ClientConfigToken/"

    /// The token the client configured by `griddConf` uses: its `ClientConfigTokenPath`, or the
    /// newest `.tok` file in that folder (or in ``defaultFolder``).
    ///
    /// - Throws: ``RunError/invalidSetting(_:)`` when gridd.conf cannot be read, the location does
    ///   not exist or holds no token.
    public static func token(forClientConfiguredBy griddConf: String) throws(RunError) -> String {
        let conf: GriddConf
        do {
            conf = try GriddConf.load(path: griddConf)
        } catch {
            throw .invalidSetting(error.description)
        }
        let location = conf.tokenPath ?? defaultFolder
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location, isDirectory: &isDirectory) else {
            throw .invalidSetting("\(griddConf): the client's token location \(location) does not exist; give --token")
        }
        guard isDirectory.boolValue else { return location }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: location)) ?? []
        let tokens = files.filter { $0.hasSuffix(".tok") }.map { (location as NSString).appendingPathComponent($0) }
        func modified(_ path: String) -> Date {
            (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
        }
        guard let newest = tokens.max(by: { modified($0) < modified($1) }) else {
            throw .invalidSetting("\(griddConf): no .tok file in \(location); give --token")
        }
        return newest
    }
}
