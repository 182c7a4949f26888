import Crypto
import DocumentModel
import Foundation
import LuaBridge

/// The libraries function code gets besides `aws`: json, base64, hashlib.
enum HelperLibraries {
    static func install(in state: LuaState) {
        state.register("json.encode") { args in
            do { return [.string(try (args.first ?? .null).jsonText())] } catch let error as JSONError {
                throw EngineError(code: "JSONEncodeError", message: error.description)
            }
        }
        // Decoding runs for every record of every batch: it reads the Lua string and builds
        // Lua tables directly, with no document in between.
        state.registerRaw("json.decode") { stack in
            guard let text = stack.bytes(1) else { throw EngineError(code: "JSONDecodeError", message: "json.decode expects a string") }
            do { try stack.pushJSON(text) } catch let error as JSONError {
                throw EngineError(code: "JSONDecodeError", message: error.description)
            }
            return 1
        }
        state.register("base64.encode") { args in
            guard let bytes = args.first?.bytesValue else { throw EngineError(code: "TypeError", message: "base64.encode expects a string") }
            return [.string(Base64.encode(bytes))]
        }
        state.registerRaw("base64.decode") { stack in
            guard let text = stack.bytes(1), let bytes = Base64.decode(text) else {
                throw EngineError(code: "Base64DecodeError", message: "base64.decode: the text is not valid base64")
            }
            bytes.withUnsafeBytes { stack.push(bytes: $0) }
            return 1
        }
        state.register("hashlib.md5") { args in
            guard let bytes = args.first?.bytesValue else { throw EngineError(code: "TypeError", message: "hashlib.md5 expects a string") }
            return [.string(hex(Insecure.MD5.hash(data: bytes)))]
        }
        state.register("hashlib.sha256") { args in
            guard let bytes = args.first?.bytesValue else { throw EngineError(code: "TypeError", message: "hashlib.sha256 expects a string") }
            return [.string(hex(SHA256.hash(data: bytes)))]
        }
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
