// Debian's libssl-dev (OpenSSL 3), found through pkg-config "libcrypto": only its digests
// and HMAC are used, so the build needs no BoringSSL of its own.
#include <openssl/evp.h>
#include <openssl/hmac.h>
