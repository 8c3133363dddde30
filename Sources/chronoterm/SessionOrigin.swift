import Foundation

/// How a person reached this process, for the audit trail: the surface (when it is not
/// the console), the SSH key they came with, and the address sshd says they came from
/// (`SSH_CONNECTION`: "client-address client-port server-address server-port"). Nil
/// when nothing is known (the host's own keyboard).
func sessionOrigin(surface: String? = nil, key: String?) -> String? {
    let from = ProcessInfo.processInfo.environment["SSH_CONNECTION"]?.split(separator: " ").first.map(String.init)
    let parts = [surface, key.map { "key \($0)" }, from.map { "from \($0)" }].compactMap { $0 }
    return parts.isEmpty ? nil : parts.joined(separator: " ")
}
