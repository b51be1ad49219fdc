/* mcujs Mbed TLS 3.6 configuration (MBEDTLS_CONFIG_FILE).
 *
 * Written from nothing, not trimmed from the default config: every option
 * that is on is listed here with the reason and, where measured, its cost.
 * Profile: TLS 1.3 + TLS 1.2 client, ECDHE only, AEAD only (AES-GCM,
 * ChaCha20-Poly1305), groups x25519/secp256r1/secp384r1, server certificates
 * RSA 2048..4096 (PKCS#1 v1.5 and PSS) or ECDSA P-256/P-384, SHA-2 only for
 * signatures. No server side, no DTLS, no file system, no sockets: the same
 * header builds the host library and the arm-none-eabi firmware.
 *
 * Numbers (docs/tls.md has the tables and how they were taken):
 *  - flash / static RAM: arm-none-eabi-gcc 12, -mcpu=cortex-m3 -Os, gc-sections,
 *    newlib-nano; this configuration costs 133 KB of flash and 1 KB of .bss
 *    (re-measured 2026-12-02 with the session cache and a stub-port main:
 *    132.4 KB of text, 1.3 KB of .data+.bss, the same .bss as without it);
 *  - heap: tests/unit/tls_handshake_test.cpp (HeapPerHandshake) counts
 *    mbedtls_calloc on x86-64 during handshakes with openssl s_server: peak
 *    28.8 KB (TLS 1.3, P-256 chain) to 32.3 KB (TLS 1.2, RSA-2048), 24-27 KB
 *    while a connection is open.
 */
#ifndef MCUJS_MBEDTLS_CONFIG_H
#define MCUJS_MBEDTLS_CONFIG_H

/* ------------------------------------------------------------ system */

/* Inline assembly for the bignum multiply loops (x86-64; UMLAL on the
 * Cortex-M3). No RAM cost; the hot loop of RSA and ECC. */
#define MBEDTLS_HAVE_ASM

/* Deprecated 2.x-compatible APIs are compiled out: less flash, and our code
 * cannot use them by accident. */
#define MBEDTLS_DEPRECATED_REMOVED

/* Time: certificate validity is checked against the port's wall clock, via
 * hooks in tls/clock.cpp (no libc time(), no gmtime on the firmware):
 *  - TIME_ALT: mbedtls_time() calls the function set with
 *    mbedtls_platform_set_time() (tls/clock.cpp -> port::Clock::wall_time);
 *  - GMTIME_R_ALT: our calendar conversion, so newlib's time zone code is
 *    not linked;
 *  - MS_TIME_ALT: mbedtls_ms_time() (TLS 1.3 ticket age) from
 *    port::Clock::monotonic_ms(); 3.6 has no portable default for bare metal.
 * Without a wall clock, TLS refuses to verify (CLOCK_NOT_SET) unless
 * Options::insecure_no_wall_clock (see docs/tls.md). */
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_TIME_ALT
#define MBEDTLS_PLATFORM_GMTIME_R_ALT
#define MBEDTLS_PLATFORM_MS_TIME_ALT

/* mbedtls_calloc/free go through function pointers the firmware can point
 * at its own heap (and the tests at a counting allocator). Two pointers of
 * RAM. */
#define MBEDTLS_PLATFORM_MEMORY

/* No OS entropy (no /dev/urandom on a microcontroller); the only randomness
 * is the DRBG seeded from port::Entropy (tls/rng.cpp). MBEDTLS_ENTROPY_C is
 * off: CTR_DRBG takes our source directly, which saves entropy.c and its
 * SHA-512 accumulator. */
#define MBEDTLS_NO_PLATFORM_ENTROPY

/* ------------------------------------------------------------ PSA crypto */

/* TLS 1.3 in 3.6 is written on PSA; USE_PSA makes TLS 1.2, X.509 and PK use
 * it too, so there is one implementation of each primitive in flash. PSA
 * state is process-wide (key slots, RNG): documented in docs/tls.md. */
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_USE_PSA_CRYPTO

/* PSA draws randomness from mbedtls_psa_external_get_random() (tls/rng.cpp),
 * backed by our CTR_DRBG, instead of its own DRBG + entropy module: one
 * DRBG in RAM instead of two, and seeding is ours to gate. */
#define MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG

/* PSA normally copies every input/output buffer to guard against shared
 * memory; we have no such caller. Measured: handshake heap peak -1.8 KB
 * (TLS 1.3, P-256), -2.7 KB (TLS 1.2, P-256), -0.3 KB (RSA chains); flash
 * -1.2 KB. */
#define MBEDTLS_PSA_ASSUME_EXCLUSIVE_BUFFERS

/* Static key slots (default 32). A handshake holds a few keys at once
 * (ECDHE private key, traffic keys both ways, transient HKDF/HMAC keys); 16
 * leaves room for several concurrent connections. 16 slots = 644 bytes of
 * .bss on the Cortex-M3 (40 bytes each). */
#define MBEDTLS_PSA_KEY_SLOT_COUNT 16

/* ------------------------------------------------------------ symmetric */

#define MBEDTLS_AES_C
/* AES tables as const data (flash) instead of being generated into RAM at
 * first use. Measured on the Cortex-M3: .bss -4.4 KB, flash +4.0 KB (only
 * the forward tables exist, see below). Essential at 128 KB of RAM. */
#define MBEDTLS_AES_ROM_TABLES
/* Only the encryption direction of AES is used (GCM, CTR_DRBG): the
 * decryption tables (another 4.4 KB) and code are compiled out. */
#define MBEDTLS_BLOCK_CIPHER_NO_DECRYPT
#define MBEDTLS_GCM_C
#define MBEDTLS_CHACHA20_C
#define MBEDTLS_POLY1305_C
#define MBEDTLS_CHACHAPOLY_C

/* The DRBG (AES-256 CTR_DRBG, NIST SP 800-90A). */
#define MBEDTLS_CTR_DRBG_C

/* ------------------------------------------------------------ hashes */

#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA512_C
/* SHA-1 is compiled in ONLY so that X.509 can parse certificates whose
 * signature uses it: many roots are self-signed with SHA-1 (e.g. DigiCert
 * Global Root CA) and without the OID a whole CA bundle fails to load.
 * Trust anchors' own signatures are never checked, and our X.509 profile and
 * TLS signature list (tls/policy.cpp) accept SHA-256/384/512 only, so no
 * SHA-1 signature is ever accepted. Costs 4.5 KB of flash (measured). */
#define MBEDTLS_SHA1_C
/* TLS 1.3 key schedule (PSA HKDF extract/expand follow from this). */
#define MBEDTLS_HKDF_C

/* ------------------------------------------------------------ public key */

#define MBEDTLS_BIGNUM_C
/* Largest RSA modulus accepted: 4096 bits. Sizes stack buffers in RSA
 * verification (default 1024 bytes for 8192-bit keys): saves 512 bytes of
 * stack per buffer. A certificate with a larger RSA key fails to parse. */
#define MBEDTLS_MPI_MAX_SIZE 512
/* Sliding window for modular exponentiation (1..6, default 3). Only
 * private-key operations use a wide window; RSA verification (e = 65537)
 * always uses 1, so for a client this changes nothing (measured: identical
 * heap and time for 1, 3 and 6). 1 keeps it minimal should a private-key
 * operation ever be added. */
#define MBEDTLS_MPI_WINDOW_SIZE 1

#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15   /* rsa_pkcs1_sha* (TLS 1.2, most certificates) */
#define MBEDTLS_PKCS1_V21   /* RSASSA-PSS: TLS 1.3 CertificateVerify with RSA */
/* TLS 1.3 servers with RSA keys sign with PSS; certificates may too. */
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT

#define MBEDTLS_ECP_C
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED
/* Fast reduction modulo the NIST primes: handshakes with P-256/P-384 use
 * 3.4x less CPU (measured) for 1.8 KB of flash. */
#define MBEDTLS_ECP_NIST_OPTIM
/* FIXED_POINT_OPTIM=1: multiplications by the base point (ECDHE key
 * generation, half of ECDSA verification) use precomputed comb tables that
 * 3.6 ships as const data: +5.5 KB flash, no RAM, 24-31% less CPU per
 * handshake. WINDOW_SIZE (2..7, default 4) then only sizes the table built
 * on the heap for other points (ECDH shared secret, the public key in ECDSA
 * verification). Measured per handshake with ECDSA chains (docs/tls.md):
 * w=2 adds nothing to the heap peak; w=3 adds 0.8 KB, w=4 2.7 KB, w=6 6.5 KB,
 * each for 6-13% less CPU. */
#define MBEDTLS_ECP_WINDOW_SIZE 2
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 1

#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C   /* PSA <-> X.509 ECDSA signature format, RSA pubkey export */
#define MBEDTLS_OID_C
#define MBEDTLS_BASE64_C       /* PEM bodies (tls/ca_store.cpp does the framing) */
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C

/* ------------------------------------------------------------ X.509 */

#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
/* MBEDTLS_PEM_PARSE_C is off: tls/ca_store.cpp frames PEM blocks itself
 * (length-bounded input, all-or-nothing, per-certificate error messages) and
 * decodes them with base64. */

/* ------------------------------------------------------------ TLS */

#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C          /* client only: MBEDTLS_SSL_SRV_C is off */
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_SSL_PROTO_TLS1_3

/* TLS 1.2: ECDHE with ECDSA or RSA certificates; no static RSA, no DHE, no
 * PSK. TLS 1.2 support costs 7 KB of flash, TLS 1.3 16 KB, RSA 15.7 KB. */
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
/* TLS 1.2 extended master secret (RFC 7627), against triple-handshake. */
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET

/* TLS 1.3: (EC)DHE key exchange, and psk_ephemeral (psk_dhe_ke) to resume
 * from session tickets. Pure PSK (psk_ke, MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_
 * MODE_PSK_ENABLED) stays off: a session resumed with it derives every key
 * from the resumption secret alone, so whoever later steals that ticket
 * secret (from the server's ticket key or our RAM) decrypts the recorded
 * connection; psk_dhe_ke mixes in a fresh ECDHE and keeps forward secrecy,
 * for the price of one x25519 key exchange (no certificate, no signature).
 * No external PSKs are configured. */
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED
/* Session tickets: TLS 1.3 NewSessionTicket (resumption needs it) and
 * TLS 1.2 RFC 5077 tickets; TLS 1.2 session ids need nothing extra. Client
 * side only (ssl_ticket.c, the server's ticket keys, is not built). Switched
 * on at run time by Options::session_resumption (default true), see
 * tls/policy.cpp. Measured on the Cortex-M3 (docs/tls.md): flash +3.4 KB
 * for SESSION_TICKETS + PSK_EPHEMERAL together (both were already compiled
 * in, switched off at run time, before the cache existed), +1.5 KB for our
 * cache and its use (tls/session_cache.cpp, tls/connection.cpp); no .bss. */
#define MBEDTLS_SSL_SESSION_TICKETS
/* Not Mbed TLS options: our session cache (tls/session_cache.cpp), one per
 * TlsContext, keyed by servername:port, least recently stored evicted.
 * RAM: an empty cache is 4 pointers in the context. A filled entry is
 * allocated with mbedtls_calloc: the entry (Cortex-M3: 600 bytes, i.e. the
 * 448-byte mbedtls_ssl_session and the 128-byte name key) plus what
 * mbedtls_ssl_get_session() copies: the server's leaf certificate, parsed
 * again (DER + the mbedtls_x509_crt, ~1.5-2 KB: the bulk), the ticket (0.2 KB
 * from OpenSSL) and the host name. Measured on x86-64
 * (tests/unit/tls_resume_test.cpp, CacheMemory): 2.6 KB per entry with a
 * P-256 leaf, 3.2 KB with an RSA-2048 leaf; so 4 entries cost up to ~10-13 KB
 * of heap when all are filled. A firmware talking to one server can set
 * 1. Each connection also keeps its 128-byte key (ConnectionImpl). The
 * maximum lifetime caps what a server asks for (TLS 1.3 allows 7 days); a
 * TLS 1.2 session without a lifetime hint is kept 1 hour. */
#define MCUJS_TLS_SESSION_CACHE_SIZE 4
#define MCUJS_TLS_SESSION_MAX_LIFETIME_S 86400
/* Middlebox compatibility (RFC 8446 D.4): a fake session id and CCS; some
 * networks drop TLS 1.3 handshakes without it. 84 bytes of flash. */
#define MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE

/* Compile-time ciphersuite table: only these exist in flash. The runtime
 * list (tls/policy.cpp) repeats them in preference order. */
#define MBEDTLS_SSL_CIPHERSUITES                        \
    MBEDTLS_TLS1_3_CHACHA20_POLY1305_SHA256,            \
    MBEDTLS_TLS1_3_AES_128_GCM_SHA256,                  \
    MBEDTLS_TLS1_3_AES_256_GCM_SHA384,                  \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,    \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,    \
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, \
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,      \
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384

#define MBEDTLS_SSL_SERVER_NAME_INDICATION
/* ALPN (RFC 7301): tls.connect({alpn}) offers protocol names per connection
 * (tls::ConnectOptions) and reads the one chosen; nothing is offered unless
 * a connection asks. */
#define MBEDTLS_SSL_ALPN
/* The peer chain stays attached to the session: TLS 1.3 in 3.6 requires it,
 * and peer_cert() reads the leaf. Costs the parsed chain (~1.5-3 KB per
 * certificate) for the life of the connection. */
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE
#define MBEDTLS_SSL_ALL_ALERT_MESSAGES

/* Record sizes. IN must stay 16384 to talk to arbitrary servers: most ignore
 * max_fragment_length (TLS 1.2) and OpenSSL does not implement
 * record_size_limit (TLS 1.3), so they send full 16 KB records. OUT is what
 * we send; 4096 is plenty for requests. Measured: OUT 16384 would add 12.3 KB
 * to every handshake peak and open connection; IN 4096 + OUT 2048 halves the
 * peak (14.5-18 KB) but only works with servers that honour the limits.
 * MBEDTLS_SSL_VARIABLE_BUFFER_LENGTH stays off: with IN != OUT, 3.6 shrinks
 * the TLS 1.2 input buffer to min(IN, OUT) after the handshake, and the
 * server's next 16 KB record fails (tests/unit: LargeReadsInFullRecords). */
#define MBEDTLS_SSL_IN_CONTENT_LEN  16384
#define MBEDTLS_SSL_OUT_CONTENT_LEN 4096
/* Ask for smaller records: max_fragment_length (TLS 1.2, runtime value from
 * Options::max_fragment) and record_size_limit (TLS 1.3, advertises
 * MBEDTLS_SSL_IN_CONTENT_LEN; 0.2 KB of flash). Useful against servers that
 * honour them and for a firmware build with a smaller IN buffer. */
#define MBEDTLS_SSL_MAX_FRAGMENT_LENGTH
#define MBEDTLS_SSL_RECORD_SIZE_LIMIT

#endif /* MCUJS_MBEDTLS_CONFIG_H */
