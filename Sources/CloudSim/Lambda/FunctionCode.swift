import DocumentModel
import Foundation
import Hashing
import ZIPFoundation

/// A function's code: Lua text given directly (`Source`, labengine's Lua API), or a
/// deployment package, a zip of Lua files in which `Handler` names the file and the
/// function, as Lambda's runtimes do (`app.handler` is `handler` of `app.lua`).
public enum FunctionCode: Sendable {
    /// One chunk that returns the handler; `path` is where it came from, as the author
    /// named it (for messages), and `folder` where `require` looks for its other modules.
    case source(text: String, path: String, folder: String?)
    /// The Lua files of a zip, by their path inside it.
    case package(files: [String: String], name: String)

    /// Where the code came from, as messages name it.
    public var origin: String {
        switch self {
        case .source(_, let path, _): return path
        case .package(_, let name): return name
        }
    }
}

/// The code of a function with the size and hash Lambda reports for it.
struct StoredCode {
    let code: FunctionCode
    /// `CodeSize`: the zip's bytes, or the source's.
    let size: Int
    /// `CodeSha256`: base64 of the SHA-256 of the zip (or source).
    let sha256: String

    init(source: String, path: String, folder: String?) {
        code = .source(text: source, path: path, folder: folder)
        size = source.utf8.count
        sha256 = Base64.encode(Digest.sha256(source.utf8))
    }

    /// Reads a deployment package.
    /// - Throws: ``AWSError`` `InvalidParameterValueException` when it is not a zip, holds no
    ///   Lua file, or unpacks to more than Lambda's 250 MB.
    init(zip: [UInt8]) throws(AWSError) {
        code = .package(files: try Self.unzip(zip), name: "function.zip")
        size = zip.count
        sha256 = Base64.encode(Digest.sha256(zip))
    }

    /// The unzipped size Lambda allows for a deployment package
    /// (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
    static let unzippedLimit = 250 * 1024 * 1024

    private static func unzip(_ zip: [UInt8]) throws(AWSError) -> [String: String] {
        let invalid = AWSError("InvalidParameterValueException", "Could not unzip uploaded file. Please check your file, then try to upload again.")
        let archive: Archive
        do {
            archive = try Archive(data: Data(zip), accessMode: .read)
        } catch {
            throw invalid
        }
        var files: [String: String] = [:]
        var total = 0
        do {
            for entry in archive where entry.type == .file {
                var bytes: [UInt8] = []
                // The declared sizes may lie (a zip bomb): count what really comes out.
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    total += chunk.count
                    guard total <= unzippedLimit else { throw ZipTooLarge() }
                    bytes += chunk
                }
                let path = entry.path.hasPrefix("./") ? String(entry.path.dropFirst(2)) : entry.path
                if path.hasSuffix(".lua") { files[path] = String(decoding: bytes, as: UTF8.self) }
            }
        } catch is ZipTooLarge {
            throw AWSError("InvalidParameterValueException", "Unzipped size must be smaller than \(unzippedLimit) bytes")
        } catch {
            throw invalid
        }
        guard !files.isEmpty else {
            throw AWSError("InvalidParameterValueException", "The deployment package holds no .lua file: labengine runs function code written in Lua.")
        }
        return files
    }

    private struct ZipTooLarge: Error {}
}
