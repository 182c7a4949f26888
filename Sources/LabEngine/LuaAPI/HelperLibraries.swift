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
        state.register("json.decode") { args in
            guard let text = args.first?.bytesValue else { throw EngineError(code: "JSONDecodeError", message: "json.decode expects a string") }
            do { return [try Document(jsonBytes: text)] } catch let error as JSONError {
                throw EngineError(code: "JSONDecodeError", message: error.description)
            }
        }
        state.register("base64.encode") { args in
            guard let bytes = args.first?.bytesValue else { throw EngineError(code: "TypeError", message: "base64.encode expects a string") }
            return [.string(Data(bytes).base64EncodedString())]
        }
        state.register("base64.decode") { args in
            guard let text = args.first?.stringValue, let data = Data(base64Encoded: text) else {
                throw EngineError(code: "Base64DecodeError", message: "base64.decode: the text is not valid base64")
            }
            let bytes = [UInt8](data)
            if let s = String(validating: bytes, as: UTF8.self) { return [.string(s)] }
            return [.bytes(bytes)]
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
