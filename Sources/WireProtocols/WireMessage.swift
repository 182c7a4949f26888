/// One HTTP request as the endpoint received it, before any AWS meaning is read from it.
/// The HTTP server fills it; everything after that is independent of sockets, so tests and
/// the fuzzer drive the protocols without one.
public struct WireRequest: Sendable {
    public var method: String
    /// The request target's path, still percent-encoded, as it came on the request line.
    public var path: String
    /// The query string after `?`, still percent-encoded ("" when none).
    public var query: String
    /// Header fields in arrival order, names as sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    /// - Parameter target: the request line's target (`/path?query`).
    public init(method: String, target: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        } else {
            path = target
            query = ""
        }
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The query string's pairs, percent-decoded (`+` is a space, as forms write it).
    var queryItems: [(String, String)] { FormEncoding.pairs(query) }
}

/// The response to send.
public struct WireResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func == (a: WireResponse, b: WireResponse) -> Bool {
        a.status == b.status && a.body == b.body && a.headers.map(\.name) == b.headers.map(\.name)
            && a.headers.map(\.value) == b.headers.map(\.value)
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
