import Dispatch
import Foundation
import Logging
import MCP

/// MCP's stdio transport, one message a line, with the one property the SDK's own lacks
/// under load: replies never interleave. The SDK handles requests concurrently and its
/// transport writes a long reply in pieces, yielding between them when the pipe is full
/// — so a second reply could land inside the first. Here every reply is handed, whole,
/// to one serial queue that writes it to the end (blocking on a full pipe, which is the
/// back-pressure a slow client asks for) before it takes the next.
public actor LineTransport: Transport {
    public nonisolated let logger: Logger
    private let input: Int32
    private let output: Int32
    private let writer = DispatchQueue(label: "chronoterm.mcp.writer")
    private let messages: AsyncThrowingStream<Data, Swift.Error>
    private let continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation
    private var connected = false

    /// Standard input and output, unless told otherwise (a test's pipes).
    public init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, logger: Logger? = nil) {
        (self.input, self.output) = (input, output)
        self.logger = logger ?? Logger(label: "chronoterm.mcp", factory: { _ in SwiftLogNoOpLogHandler() })
        (messages, continuation) = AsyncThrowingStream.makeStream()
    }

    public func connect() async throws {
        guard !connected else { return }
        connected = true
        // Lines are read on a thread of their own: a blocking read must not hold one of
        // Swift's few cooperative threads. The input closing ends the stream, and the server.
        let (input, continuation) = (self.input, self.continuation)
        Thread {
            var pending = Data()
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                pending.append(contentsOf: buffer[..<count])
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = pending[pending.startIndex..<newline]
                    pending = Data(pending[(newline + 1)...])
                    if !line.isEmpty { continuation.yield(Data(line)) }
                }
            }
            continuation.finish()
        }.start()
    }

    public func disconnect() async {
        connected = false
        continuation.finish()
    }

    public func send(_ data: Data) async throws {
        var whole = data
        whole.append(UInt8(ascii: "\n"))
        let (line, output) = (whole, self.output)
        let written: Bool = await withCheckedContinuation { done in
            writer.async { done.resume(returning: Self.writeAll(line, to: output)) }
        }
        guard written else { throw MCPError.transportError(POSIXError(.EPIPE)) }
    }

    public func receive() -> AsyncThrowingStream<Data, Swift.Error> { messages }

    /// Writes `data` whole, however many calls it takes: false when the reader is gone.
    private static func writeAll(_ data: Data, to descriptor: Int32) -> Bool {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    if errno == EAGAIN {
                        usleep(1_000)  // a non-blocking pipe that is full: wait for the reader
                        continue
                    }
                    return false
                }
                offset += count
            }
            return true
        }
    }
}
