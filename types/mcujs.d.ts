// TypeScript declarations for everything mcujs exposes to JavaScript.
// Use with `/// <reference path="mcujs.d.ts" />` or list it in tsconfig "files".

// ------------------------------------------------------------------ console
interface McujsConsole {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  trace(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}
declare const console: McujsConsole;

// ------------------------------------------------------------------ timers
/** Delay: ToNumber; NaN or negative means 0; above 2^31-1 ms means 1. */
declare function setTimeout<A extends unknown[]>(callback: (...args: A) => void, delay?: number, ...args: A): number;
declare function setInterval<A extends unknown[]>(callback: (...args: A) => void, delay?: number, ...args: A): number;
/** Unknown or non-numeric ids are ignored. */
declare function clearTimeout(id?: number): void;
declare function clearInterval(id?: number): void;

/** [script path, ...arguments after it on the mcujs command line]. */
declare const scriptArgs: string[];

// ------------------------------------------------------------------ errors
/** Stable codes of network and TLS failures. */
type TLSErrorCode =
  | 'CERT_EXPIRED' | 'CERT_NOT_YET_VALID' | 'CERT_HOSTNAME_MISMATCH' | 'CERT_UNTRUSTED'
  | 'CERT_INVALID' | 'HANDSHAKE_TIMEOUT' | 'PROTOCOL_VERSION' | 'HANDSHAKE_FAILURE'
  | 'CONNECTION_RESET' | 'TRUNCATED' | 'ENTROPY' | 'NO_MEMORY' | 'BAD_INPUT' | 'INTERNAL'
  | 'CLOCK_NOT_SET' | 'PROTOCOL_ERROR';
type NetErrorCode =
  | 'CONNECTION_REFUSED' | 'CONNECTION_RESET' | 'CONNECT_TIMEOUT' | 'HOST_NOT_FOUND'
  | 'NETWORK_UNREACHABLE' | 'NOT_CONNECTED' | 'WRITE_TIMEOUT' | 'TIMEOUT' | 'ADDRESS_IN_USE'
  | 'NO_MEMORY' | 'IO_ERROR' | string;

/** An Error raised by a network call; TLS failures are TLSError instances. */
interface NetError extends Error {
  code: NetErrorCode | TLSErrorCode;
  /** The Mbed TLS error number (negative), 0 when none. */
  errno: number;
}

declare class TLSError extends Error {
  constructor(message: string, code: TLSErrorCode, errno?: number);
  readonly name: 'TLSError';
  code: TLSErrorCode;
  errno: number;
}

// ------------------------------------------------------------------ photon (the article's API)
interface PhotonLog {
  trace(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

interface PhotonTCPClient {
  /** Connects (and for TLS, handshakes and verifies). Synchronous for the
   * script; the runtime keeps servicing the network meanwhile. */
  connect(host: string, port: number): boolean;
  connected(): boolean;
  /** Writes everything or throws (NetError); returns the byte count. */
  write(data: string | Uint8Array | ArrayBuffer): number;
  /** Bytes readable now without waiting. */
  available(): number;
  /** The data available now as a string ("" if none); at most `max` bytes. */
  read(max?: number): string;
  stop(): void;
  /** Why the last connect (or I/O) failed; null after a success. */
  lastError: NetError | TLSError | null;
  readonly secure: boolean;
}

interface PhotonTCPClientConstructor {
  new (): PhotonTCPClient;
  (): PhotonTCPClient;
}

interface PhotonTLSTCPClientConstructor extends PhotonTCPClientConstructor {
  /** Adds one or more PEM CA certificates to the trust store (all or nothing).
   * @throws TypeError 'Expected certificate as string' for a non-string
   * @throws Error naming the parse failure otherwise */
  addCertificates(pem: string): number;
}

interface PhotonTCPServer {
  begin(): void;
  /** A connected client for a waiting peer, or null. */
  available(): PhotonTCPClient | null;
  stop(): void;
}

interface PhotonTCPServerConstructor {
  new (port: number): PhotonTCPServer;
  (port: number): PhotonTCPServer;
}

declare const photon: {
  log: PhotonLog;
  /** Waits ms milliseconds while servicing the network. */
  delay(ms: number): void;
  /** Lets the runtime service the network once. */
  process(): void;
  TCPClient: PhotonTCPClientConstructor;
  TLSTCPClient: PhotonTLSTCPClientConstructor;
  TCPServer: PhotonTCPServerConstructor;
};

// ------------------------------------------------------------------ tls
interface PeerCertificate {
  subject: string;
  issuer: string;
  /** "YYYY-MM-DD HH:MM:SS" UTC */
  validFrom: string;
  validTo: string;
  serial: string;
  /** SHA-256 of the DER encoding, lowercase hex. */
  fingerprint256: string;
}

interface TLSSocket {
  readonly protocol: 'TLSv1.3' | 'TLSv1.2';
  /** IANA cipher suite name. */
  readonly cipher: string;
  readonly peerCertificate?: PeerCertificate;
  /** Resolves with the byte count once everything is written. */
  write(data: string | Uint8Array | ArrayBuffer): Promise<number>;
  /** Resolves with the next bytes, or null at the end of the stream. */
  read(): Promise<Uint8Array | null>;
  /** Sends close_notify and closes. */
  close(): void;
}

interface TLSConnectOptions {
  host: string;
  port: number;
  /** SNI and verified name; defaults to host. */
  servername?: string;
  /** Extra PEM CA certificates to trust. */
  ca?: string;
  /** Connect timeout in ms. */
  timeout?: number;
}

declare const tls: {
  connect(options: TLSConnectOptions): Promise<TLSSocket>;
};

// ------------------------------------------------------------------ fetch
type HeadersInit = Record<string, string> | [string, string][] | Headers;

declare class Headers {
  constructor(init?: HeadersInit);
  get(name: string): string | null;
  has(name: string): boolean;
  set(name: string, value: string): void;
  append(name: string, value: string): void;
  delete(name: string): void;
  forEach(callback: (value: string, name: string, headers: Headers) => void): void;
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  /** Every Set-Cookie value, unjoined. */
  getSetCookie(): string[];
  [Symbol.iterator](): IterableIterator<[string, string]>;
}

interface RequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: string | Uint8Array | ArrayBuffer;
  /** Whole-request timeout in ms (mcujs extension; default 30000). */
  timeout?: number;
  /** Largest response body accepted, in bytes (mcujs extension). */
  maxBodySize?: number;
  /** 'follow' (default, at most 5 hops), 'error' or 'manual'. */
  redirect?: 'follow' | 'error' | 'manual';
}

interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

declare class Response {
  /** For tests and mocks. */
  constructor(body?: string | Uint8Array | ArrayBuffer | null, init?: ResponseInit);
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly url: string;
  readonly headers: Headers;
  readonly redirected: boolean;
  readonly type: string;
  /** True once text(), json(), arrayBuffer() or bytes() was called. */
  readonly bodyUsed: boolean;
  /** Whether the request went over a kept-alive connection (mcujs, for tests). */
  readonly _reused: boolean;
  text(): Promise<string>;
  json(): Promise<any>;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
}

interface FetchStats {
  connections: number;
  reused: number;
  idle: number;
  pending: number;
}

interface FetchConfig {
  poolSize?: number;
  idleTimeout?: number;
  timeout?: number;
  maxBodySize?: number;
  maxHeaderSize?: number;
}

/** HTTP/1.1 over TCP or verified TLS, with keep-alive connection reuse. */
declare const fetch: {
  (url: string, init?: RequestInit): Promise<Response>;
  /** Connection pool counters. */
  stats(): FetchStats;
  /** Changes pool and limit defaults for later requests. */
  configure(options: FetchConfig): void;
};
