import NIOCore
import NIOHTTP1
import NIOPosix
import NIOConcurrencyHelpers
import WireProtocols

/// The AWS wire endpoint on loopback: SwiftNIO's HTTP/1.1 server in front of a
/// ``WireDispatcher``. The socket, HTTP parsing and keep-alive are NIO's; this type only
/// collects each request and hands it over.
package final class WireEndpoint: Sendable {
    /// The port it listens on (chosen by the system when started with port 0).
    package let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    /// The most bytes a request body may have. The largest AWS request the simulated
    /// services take is a 50 MB zip in CreateFunction, which base64 makes about 67 MB
    /// (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
    package static let maxBodyBytes = 70 * 1024 * 1024

    /// Starts listening on `host:port` (port 0: a free one).
    /// - Parameter dispatcher: answers every request. One thread serves all connections, so
    ///   requests reach the accounts one at a time, in the order they complete.
    package static func start(_ dispatcher: WireDispatcher, host: String = "127.0.0.1", port: Int = 0) throws -> WireEndpoint {
        let gate = DispatcherGate(dispatcher)
        return try start(host: host, port: port) { gate.respond(to: $0) }
    }

    /// Starts listening with `respond` answering every request (a live session puts its own
    /// routes in front of the AWS ones).
    /// - Parameter respond: called on the endpoint's one thread, one request at a time.
    package static func start(host: String = "127.0.0.1", port: Int = 0, respond: @escaping @Sendable (WireRequest) -> WireResponse) throws -> WireEndpoint {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(respond: respond))
                }
            }
        do {
            let channel = try bootstrap.bind(host: host, port: port).wait()
            guard let bound = channel.localAddress?.port else { throw EndpointError("the endpoint has no port") }
            return WireEndpoint(port: bound, group: group, channel: channel)
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    private init(port: Int, group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.port = port
        self.group = group
        self.channel = channel
    }

    /// `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL`.
    package var url: String { "http://127.0.0.1:\(port)" }

    /// Blocks until the endpoint is stopped.
    package func wait() {
        try? channel.closeFuture.wait()
    }

    /// Stops listening and closes every connection.
    package func stop() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }
}

/// Why the endpoint did not start.
package struct EndpointError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}

/// The dispatcher behind a lock: the accounts it reaches are not thread-safe, and whoever
/// else holds them (a live session's clock) takes the same lock.
package final class DispatcherGate: @unchecked Sendable {
    private let lock = NIOLock()
    private let dispatcher: WireDispatcher

    package init(_ dispatcher: WireDispatcher) { self.dispatcher = dispatcher }

    package func respond(to request: WireRequest) -> WireResponse {
        lock.withLock { dispatcher.respond(to: request) }
    }
}

/// Collects one request (head, body, end) and writes the dispatcher's response.
final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let respond: @Sendable (WireRequest) -> WireResponse
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var tooLarge = false

    init(respond: @escaping @Sendable (WireRequest) -> WireResponse) { self.respond = respond }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = context.channel.allocator.buffer(capacity: 0)
            if (head.headers.first(name: "content-length").flatMap(Int.init) ?? 0) > WireEndpoint.maxBodyBytes { refuseTooLarge(context) }
        case .body(var chunk):
            guard !tooLarge else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > WireEndpoint.maxBodyBytes {
                refuseTooLarge(context)
            } else {
                body?.writeBuffer(&chunk)
            }
        case .end:
            guard let head, !tooLarge else { return }
            self.head = nil
            let bytes = body.map { Array($0.readableBytesView) } ?? []
            body = nil
            let request = WireRequest(method: head.method.rawValue, target: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: bytes)
            write(respond(request), keepAlive: head.isKeepAlive, context: context)
        }
    }

    /// Answers 413 at once and closes: the rest of an oversized body is never read.
    private func refuseTooLarge(_ context: ChannelHandlerContext) {
        tooLarge = true
        body = nil
        let response = WireResponse(
            status: 413, headers: [("Content-Type", "text/plain")],
            body: Array("Request bodies are limited to \(WireEndpoint.maxBodyBytes) bytes\n".utf8))
        write(response, keepAlive: false, context: context)
    }

    private func write(_ response: WireResponse, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        if !keepAlive {
            // The channel (Sendable), not the context: the close runs when the write is flushed.
            let channel = context.channel
            done.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
