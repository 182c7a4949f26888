import Foundation

/// Messages for people, on standard error.
enum Diagnostics {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("labengine: error: \(message)\n".utf8))
    }
}
