import Hashing
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
            return [.string(Digest.hex(Digest.md5(bytes)))]
        }
        state.register("hashlib.sha256") { args in
            guard let bytes = args.first?.bytesValue else { throw EngineError(code: "TypeError", message: "hashlib.sha256 expects a string") }
            return [.string(Digest.hex(Digest.sha256(bytes)))]
        }
    }

}
