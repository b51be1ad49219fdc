/* mcujs Mbed TLS 3.6 device profile: the firmware's user config
 * (MBEDTLS_USER_CONFIG_FILE), included by Mbed TLS right AFTER
 * tls/config/mcujs_mbedtls_config.h. Set by the "mps2-an385" CMake preset
 * (cache variable MCUJS_MBEDTLS_USER_CONFIG, cmake/mbedtls.cmake).
 *
 * Same security profile as the host, nothing weakened: TLS 1.3 + 1.2 client,
 * ECDHE only, AEAD only, the same suites, groups, signature algorithms and
 * strict certificate verification (all in the main header and
 * tls/policy.cpp). Only RAM sizes change, for a board with 128 KB of RAM
 * where the JS heap may take 62 KB (docs/firmware.md).
 *
 * Numbers: docs/tls.md, "Device profile".
 */
#ifndef MCUJS_MBEDTLS_DEVICE_H
#define MCUJS_MBEDTLS_DEVICE_H

/* ------------------------------------------------------------ record buffers
 *
 * The record buffers dominate a connection's heap (host profile: 16 KB in +
 * 4 KB out of the 28-32 KB handshake peak). Measured on the host
 * (HeapPerHandshake, docs/tls.md): IN 4096 + OUT 2048 halves the peak
 * (14.5 KB TLS 1.3 ECDSA, 17.6-18.0 KB RSA chains) and an open connection
 * (10-12.4 KB instead of 24-27 KB).
 *
 * IN 4096: the largest record we can receive. It only works with servers
 * that send records of at most 4096 bytes of plaintext:
 *  - TLS 1.3: 3.6 advertises record_size_limit = MBEDTLS_SSL_IN_CONTENT_LEN
 *    (MBEDTLS_SSL_RECORD_SIZE_LIMIT, main header), but OpenSSL 3.0 ignores it,
 *    so our receiver caps what it sends at 4096 bytes per record, TLS 1.3 and
 *    1.2 alike (max_send_fragment, docs/receiver.md);
 *  - TLS 1.2: max_fragment_length is NOT asked for by default
 *    (Options::max_fragment 0): 3.6.6 puts it in every ClientHello that
 *    offers TLS 1.2, OpenSSL then echoes it in TLS 1.3's EncryptedExtensions
 *    and 3.6.6 rejects that (UNSUPPORTED_EXTENSION), breaking TLS 1.3 with
 *    OpenSSL servers. Mbed TLS applies it both ways, so with these buffers it
 *    could be at most 2048 (min of IN and OUT) anyway.
 * A server that ignores all of this makes the connection fail with a clear
 * message (tls/errors.cpp: PROTOCOL_ERROR "TLS record of 16401 bytes is
 * larger than this build's 4096-byte receive buffer: the server ignored
 * max_fragment_length/record_size_limit"), never a fault: Mbed TLS checks
 * every record length against the buffer (tests/tls_device/).
 *
 * OUT 2048: the largest record we send. Requests and event bodies are small
 * (the receiver's max_body is 4096); a longer write goes out as several
 * records. 2048 is what the host measurements above used; 1024 would save
 * another 1 KB per connection but split a typical 1-2 KB POST in two. */
#undef MBEDTLS_SSL_IN_CONTENT_LEN
#define MBEDTLS_SSL_IN_CONTENT_LEN 4096
#undef MBEDTLS_SSL_OUT_CONTENT_LEN
#define MBEDTLS_SSL_OUT_CONTENT_LEN 2048

/* ------------------------------------------------------------ session cache
 *
 * Not an Mbed TLS option (tls/session_cache.cpp): cached sessions per
 * TlsContext. An entry is only allocated when filled, 2.6-3.2 KB each (mostly
 * the server's leaf certificate, parsed again). The device talks to its
 * receiver and maybe one other service: 2 entries bound the worst case to
 * ~6.5 KB of heap instead of ~13 KB for the host's 4. */
#undef MCUJS_TLS_SESSION_CACHE_SIZE
#define MCUJS_TLS_SESSION_CACHE_SIZE 2

/* ------------------------------------------------------------ key share
 *
 * Not an Mbed TLS option (tls/policy.cpp): secp256r1 first in the group list,
 * so the TLS 1.3 key share is P-256 (x25519 still offered second). Measured
 * on the board (-icount, e2e scenario, docs/firmware.md "Levers"): Mbed TLS's
 * P-256 with MBEDTLS_ECP_NIST_OPTIM and the fixed-point comb for the key
 * generation beats its x25519 Montgomery ladder: resumed handshake 27.3 ->
 * 24.3 M instructions (-11 %), full 77.6 -> 74.5 M (-4 %), same heap peak.
 * The receiver (OpenSSL) accepts either without a HelloRetryRequest. */
#undef MCUJS_TLS_P256_KEY_SHARE
#define MCUJS_TLS_P256_KEY_SHARE 1

/* ------------------------------------------------------------ ECC window
 *
 * 4 instead of the host's 2: the comb table Mbed TLS builds on the heap for
 * a point other than the generator (the ECDH shared secret, the server's key
 * in each ECDSA verification: three per full handshake, one per resumed)
 * has 8 points instead of 2. Measured on the board (-icount, e2e scenario,
 * docs/firmware.md "Levers"): full handshake 74.5 -> 67.7 M instructions
 * (-9 %); the run's heap peak unchanged (it is not during a handshake). For
 * P-256 more than 4 changes nothing (Mbed TLS caps it at 4 below 384 bits). */
#undef MBEDTLS_ECP_WINDOW_SIZE
#define MBEDTLS_ECP_WINDOW_SIZE 4

/* ------------------------------------------------------------ kept as on the host
 *
 * Deliberately NOT changed here (defined in mcujs_mbedtls_config.h; listed so
 * that the choice is visible where the device profile is read):
 *  - MBEDTLS_PSA_ASSUME_EXCLUSIVE_BUFFERS: already on. Safe: no caller passes
 *    PSA a buffer that someone else (another thread, a DMA engine, shared
 *    memory) may change during the call; Mbed TLS and our code are the only
 *    callers, on one thread. Saves PSA's copies of every input/output.
 *  - MBEDTLS_ECP_FIXED_POINT_OPTIM 1: its comb tables are const (flash, no
 *    RAM); switching it off saves 5.5 KB of flash, no heap, and costs 24-31%
 *    more CPU per handshake: on a 25 MHz Cortex-M3 the handshake's ECC time
 *    matters more than that flash (the image is far below 1 MB).
 *  - MBEDTLS_MPI_WINDOW_SIZE 1: the smallest; RSA verification (e = 65537)
 *    uses 1 whatever the setting.
 *  - MBEDTLS_PSA_KEY_SLOT_COUNT 16 (644 bytes of .bss): a handshake holds
 *    several keys at once (ECDHE, traffic keys both ways, HKDF/HMAC); fewer
 *    slots would save a few hundred bytes but risk
 *    PSA_ERROR_INSUFFICIENT_MEMORY with two connections.
 *  - MBEDTLS_SSL_VARIABLE_BUFFER_LENGTH stays off: with IN != OUT, 3.6 shrinks
 *    the TLS 1.2 input buffer to min(IN, OUT) after the handshake.
 *  - MBEDTLS_AES_ROM_TABLES stays on (tables in flash; off would cost 4.4 KB
 *    of RAM). */

#endif /* MCUJS_MBEDTLS_DEVICE_H */
