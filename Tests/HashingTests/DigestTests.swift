import Hashing
import Testing

/// Known answers: RFC 1321 (MD5), FIPS 180-2 (SHA-256) and RFC 4231 test case 2 (HMAC-SHA256).
@Suite struct DigestTests {
    @Test func md5OfKnownTexts() {
        #expect(Digest.hex(Digest.md5(Array("".utf8))) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(Digest.hex(Digest.md5(Array("abc".utf8))) == "900150983cd24fb0d6963f7d28e17f72")
    }

    @Test func sha256OfKnownTexts() {
        #expect(Digest.hex(Digest.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.hex(Digest.sha256([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func hmacSHA256OfRFC4231CaseTwo() {
        let mac = Digest.hmacSHA256(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8))
        #expect(Digest.hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func digestsOfLongInputsAreNotTruncated() {
        let million = [UInt8](repeating: 0x61, count: 1_000_000)
        #expect(Digest.hex(Digest.sha256(million)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
