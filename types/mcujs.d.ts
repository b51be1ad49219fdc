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
/** Stable codes of network and TLS failures. TLSErrorCode: exactly the names
 * of tls::Code (tls/errors.cpp; tests/unit/error_codes_test.cpp checks). */
type TLSErrorCode =
  | 'CERT_EXPIRED' | 'CERT_NOT_YET_VALID' | 'CERT_HOSTNAME_MISMATCH' | 'CERT_UNTRUSTED'
  | 'CERT_INVALID' | 'HANDSHAKE_TIMEOUT' | 'PROTOCOL_VERSION' | 'HANDSHAKE_FAILURE'
  | 'CONNECTION_RESET' | 'TRUNCATED' | 'ENTROPY' | 'NO_MEMORY' | 'BAD_INPUT' | 'INTERNAL'
  | 'CLOCK_NOT_SET' | 'PROTOCOL_ERROR' | 'CERT_SIGNATURE_ALGORITHM' | 'CERT_UNKNOWN_CRITICAL_EXTENSION'
  | 'CERT_KEY_TOO_LARGE' | 'CERT_CHAIN_TOO_LARGE';
/** Exactly the names of net::Code (net/errors.cpp; tests/unit/error_codes_test.cpp checks). */
type NetErrorCode =
  | 'CLOSED' | 'CONNECTION_RESET' | 'CONNECTION_REFUSED' | 'NETWORK_UNREACHABLE' | 'HOST_NOT_FOUND'
  | 'TIMEOUT' | 'NO_MEMORY' | 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'UNSUPPORTED' | 'IO_ERROR'
  | 'ADDRESS_IN_USE' | 'CONNECT_TIMEOUT' | 'CONNECT_FAILED' | 'NOT_CONNECTED' | 'WRITE_TIMEOUT'
  | 'INVALID_STATE' | 'NOT_SUPPORTED' | 'CONNECTION_CLOSED' | 'BAD_RESPONSE' | 'BODY_TOO_LARGE'
  | 'HEADERS_TOO_LARGE' | 'UNKNOWN';

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
  /** The data available now as a string ("" if none, and after the peer's
   * orderly end); at most `max` bytes. A failure (TLSError TRUNCATED: ended
   * without close_notify; a reset) throws once the data before it was read;
   * the client is stopped then (later reads throw NOT_CONNECTED). */
  read(max?: number): string;
  /** Closes. A TLSTCPClient first waits (at most 500 ms) for a TLS 1.3
   * session ticket still in flight, so the next connect resumes. */
  stop(): void;
  /** Why the last connect (or I/O) failed; null after a success. */
  lastError: NetError | TLSError | null;
  readonly secure: boolean;
  /** TLSTCPClient only: a client certificate (PEM) and its key (PEM) for the
   *  next connections. Closes an open connection.
   *  @throws TypeError for bad PEM, a key that is not the certificate's, or a plain TCPClient */
  setClientCertificate(cert: string, key: string): void;
}

interface PhotonTCPClientConstructor {
  new (): PhotonTCPClient;
  (): PhotonTCPClient;
}

interface PhotonTLSTCPClientConstructor extends PhotonTCPClientConstructor {
  /** Adds one or more PEM CA certificates to the runtime-wide trust store
   * (all or nothing) and returns how many.
   * @throws TypeError 'Expected certificate as string' unless given one string
   * @throws TypeError 'Failed to parse certificate: <why>' otherwise */
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

// ------------------------------------------------------------------ board (docs/board.md)
/** photon.pin.D0..D7 (0..7), A0..A5 (10..15), DAC = A6 (16), A7 (17). */
type PhotonPinNumber = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17;
type PhotonPinMode = 'INPUT' | 'OUTPUT' | 'INPUT_PULLUP' | 'INPUT_PULLDOWN';

interface PhotonPinModeFunction {
  /** Sets a pin's mode.
   * @throws TypeError / RangeError for a bad pin or mode */
  (pin: PhotonPinNumber, mode: PhotonPinMode): void;
  /** The mode set on the pin, or null if none was. */
  (pin: PhotonPinNumber): PhotonPinMode | null;
  readonly INPUT: 'INPUT';
  readonly OUTPUT: 'OUTPUT';
  readonly INPUT_PULLUP: 'INPUT_PULLUP';
  readonly INPUT_PULLDOWN: 'INPUT_PULLDOWN';
}

interface PhotonPin {
  /** Reads a digital pin (D0..D7): true/false; an output reads back its last value.
   * @throws TypeError (not an integer) / RangeError (unknown pin) */
  (pin: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7): boolean;
  /** Reads an analog pin (A0..A7, the DAC): 0..4095 (12-bit ADC). */
  (pin: 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17): number;
  /** Writes an output: a boolean or a number (0 and NaN: LOW) on digital
   * pins; 0..4095 on the DAC. Ignored, with one warning, on a pin whose mode
   * was never set (as Device OS's digitalWrite).
   * @throws TypeError when the pin was set as an input or the value's type is
   * wrong, RangeError when a DAC value is out of range */
  (pin: PhotonPinNumber, value: boolean | number): void;
  mode: PhotonPinModeFunction;
  readonly D0: 0; readonly D1: 1; readonly D2: 2; readonly D3: 3;
  readonly D4: 4; readonly D5: 5; readonly D6: 6; readonly D7: 7;
  readonly A0: 10; readonly A1: 11; readonly A2: 12; readonly A3: 13; readonly A4: 14; readonly A5: 15;
  readonly A6: 16; readonly DAC: 16; readonly A7: 17;
}

interface DhtReading {
  /** Whole degrees Celsius. */
  temperature: number;
  /** Whole percent relative humidity. */
  humidity: number;
}

/** A DHT11 sensor (docs/board.md). */
declare const dht11: {
  /** Reads the sensor on `pin`.
   * @throws Error 'DHT read error' (code 'TIMEOUT': no answer, 'IO_ERROR': bad
   * transfer), TypeError / RangeError for a bad pin */
  read(pin: PhotonPinNumber): DhtReading;
};

declare const photon: {
  log: PhotonLog;
  /** Waits ms milliseconds while servicing the network. */
  delay(ms: number): void;
  /** Lets the runtime service the network once. */
  process(): void;
  /** The Photon's reboot into DFU mode: no port has one.
   * @throws Error with code 'NOT_SUPPORTED' */
  dfu(persistent?: boolean): never;
  /** Memory in bytes: the JS heap (limit 0: none) and, on the firmware, the
   *  device's RAM with the heap's and the stack's high-water marks. */
  memory(): {
    js: { used: number; peak: number; limit: number };
    device?: {
      ram: number; static: number; heapSize: number; heapPeak: number; heapUsedPeak: number;
      heapFreeMin: number; stackSize: number; stackPeak: number;
    };
  };
  TCPClient: PhotonTCPClientConstructor;
  TLSTCPClient: PhotonTLSTCPClientConstructor;
  TCPServer: PhotonTCPServerConstructor;
  /** Pins and their modes (docs/board.md). */
  pin: PhotonPin;
  readonly D0: 0; readonly D1: 1; readonly D2: 2; readonly D3: 3;
  readonly D4: 4; readonly D5: 5; readonly D6: 6; readonly D7: 7;
  readonly A0: 10; readonly A1: 11; readonly A2: 12; readonly A3: 13; readonly A4: 14; readonly A5: 15;
  /** The DAC output (A6 on the board): writes 0..4095. */
  readonly DAC: 16;
  readonly HIGH: 1;
  readonly LOW: 0;
  /**
   * The app's configuration: the JSON of `mcujs run --config FILE`, deeply
   * frozen; `{}` without --config. Its `cloud` section configures the outbox.
   */
  readonly config: Readonly<Record<string, unknown>> & { readonly cloud?: CloudConfig };
  /**
   * The origin article's cloud publish, through the outbox (docs/outbox.md).
   * event: 1..63 bytes; data: a string of at most 255 bytes (UTF-8), default "".
   * Returns true once the event is queued and persisted, false if the overflow
   * policy or the store refused it. Throws an Error when no cloud is configured.
   */
  publish(event: string, data?: string): boolean;
  outbox: PhotonOutbox;
};

/** The "cloud" section of the configuration file (docs/outbox.md). */
interface CloudConfig {
  /** https://host[:port]/path that receives the events. */
  url: string;
  /** CA certificate(s): a PEM file relative to the configuration file, or inline PEM. */
  ca?: string;
  /** Sent as the `Secret` header. */
  secret: string;
  /** Sent as the `coreid` form field (1..63 bytes). */
  coreid: string;
  queue?: {
    /** 1..256, default 64 */
    max_events?: number;
    /** 0..64, default 16 */
    max_dead?: number;
    /** default 1000 */
    backoff_initial_ms?: number;
    /** default 300000 */
    backoff_max_ms?: number;
    /** default 15000 */
    request_timeout_ms?: number;
    /** how long mcujs keeps delivering after the script ends; default 30000 */
    drain_timeout_ms?: number;
    /** event names the overflow policy keeps longest; default ['sensor-alarm'] */
    critical_events?: string[];
  };
}

interface OutboxStats {
  queued: number;
  /** 0 or 1: events are sent one at a time. */
  inFlight: number;
  delivered: number;
  retries: number;
  /** Events now in the dead-letter list. */
  deadLetters: number;
  /** Events dropped by the overflow policy (persisted across runs). */
  dropped: { reports: number; alarms: number };
  /** ms until the next retry, 0 when not waiting for one. */
  nextRetryMs: number;
}

interface PhotonOutbox {
  /**
   * Queues an event (event: 1..63 bytes; data: a string, or an object that
   * is JSON-stringified; at most 1024 bytes). Returns its id (per device,
   * increasing, never reused), or null if the overflow policy dropped it at
   * once (the queue holds only alarms). Throws if it cannot be stored.
   */
  send(event: string, data?: string | object): number | null;
  stats(): OutboxStats;
  /** Events the server refused with a 4xx, oldest first. */
  deadLetters(): { id: number; event: string; status: number }[];
}

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
  /** The handshake resumed a cached TLS session (no certificate was sent; see docs/tls.md). */
  readonly resumed: boolean;
  readonly peerCertificate?: PeerCertificate;
  /** The ALPN protocol the server chose from options.alpn, or null. */
  readonly alpnProtocol: string | null;
  /** Resolves with the byte count once everything is written. */
  write(data: string | Uint8Array | ArrayBuffer): Promise<number>;
  /** Resolves with the next bytes, or null after the server's close_notify
   * (and again on later reads); rejects with a TLSError TRUNCATED when the
   * stream ended without close_notify (docs/tls.md "Reading past the end"). */
  read(): Promise<Uint8Array | null>;
  /** Sends close_notify and closes. */
  close(): void;
}

interface TLSConnectOptions {
  /** 1..127 characters; NUL, CR, LF or other controls: TypeError. */
  host: string;
  port: number;
  /** SNI and verified name; defaults to host. */
  servername?: string;
  /** PEM CA certificates trusted by this connection only, instead of the
   *  runtime's store (--ca, addCertificates). Bad PEM: TLSError BAD_INPUT. */
  ca?: string;
  /** A client certificate (PEM, leaf first) and its private key (PEM;
   *  ECDSA P-256/P-384 or RSA, unencrypted): both or neither. */
  cert?: string;
  key?: string;
  /** ALPN protocol names (1..8), in preference order; see TLSSocket.alpnProtocol. */
  alpn?: string[];
  /** ms, 1..600000: the TCP connect and the TLS handshake together.
   *  Without it: the connect timeout, then the runtime's handshake timeout. */
  timeout?: number;
}

declare const tls: {
  connect(options: TLSConnectOptions): Promise<TLSSocket>;
};

// ------------------------------------------------------------------ fetch
// Web-standard classes (WHATWG Fetch, URL, Encoding, File API, DOM): see
// docs/fetch.md for what exists and what does not.
type HeadersInit = Record<string, string> | Iterable<[string, string]> | Headers;
type BodyInit = string | ArrayBuffer | ArrayBufferView | Blob | URLSearchParams | FormData | ReadableStream<Uint8Array>;

declare class Headers {
  constructor(init?: HeadersInit);
  get(name: string): string | null;
  has(name: string): boolean;
  set(name: string, value: string): void;
  append(name: string, value: string): void;
  delete(name: string): void;
  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg?: any): void;
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  /** Every Set-Cookie value, unjoined. */
  getSetCookie(): string[];
  [Symbol.iterator](): IterableIterator<[string, string]>;
}

interface ReadableStreamReadResult<T = any> {
  done: boolean;
  value?: T;
}
interface UnderlyingSource<T = any> {
  /** 'bytes': a byte stream (views only; BYOB readers). */
  type?: 'bytes';
  start?(controller: ReadableStreamDefaultController<T>): any;
  pull?(controller: ReadableStreamDefaultController<T>): void | PromiseLike<void>;
  cancel?(reason?: any): void | PromiseLike<void>;
}
interface QueuingStrategy<T = any> {
  highWaterMark?: number;
  size?(chunk: T): number;
}
declare class ReadableStreamDefaultController<T = any> {
  readonly desiredSize: number | null;
  enqueue(chunk: T): void;
  close(): void;
  error(e?: any): void;
}
/** The Streams standard's ReadableStream (lazy global; not on the firmware's raw context). */
declare class ReadableStream<T = any> {
  constructor(source?: UnderlyingSource<T>, strategy?: QueuingStrategy<T>);
  readonly locked: boolean;
  getReader(): ReadableStreamDefaultReader<T>;
  /** Byte streams only; the view is filled in place, not transferred. */
  getReader(options: { mode: 'byob' }): ReadableStreamBYOBReader;
  cancel(reason?: any): Promise<void>;
  tee(): [ReadableStream<T>, ReadableStream<T>];
  pipeTo(dest: WritableStream<T>, options?: { preventClose?: boolean; preventAbort?: boolean; preventCancel?: boolean; signal?: AbortSignal }): Promise<void>;
  pipeThrough<R>(pair: { writable: WritableStream<T>; readable: ReadableStream<R> }, options?: object): ReadableStream<R>;
  values(options?: { preventCancel?: boolean }): AsyncIterableIterator<T>;
  [Symbol.asyncIterator](): AsyncIterableIterator<T>;
}
declare class ReadableStreamDefaultReader<T = any> {
  readonly closed: Promise<void>;
  read(): Promise<ReadableStreamReadResult<T>>;
  releaseLock(): void;
  cancel(reason?: any): Promise<void>;
}
declare class ReadableStreamBYOBReader {
  readonly closed: Promise<void>;
  read<V extends ArrayBufferView>(view: V): Promise<ReadableStreamReadResult<V>>;
  releaseLock(): void;
  cancel(reason?: any): Promise<void>;
}
interface UnderlyingSink<T = any> {
  start?(controller: { error(e?: any): void }): any;
  write?(chunk: T, controller: { error(e?: any): void }): void | PromiseLike<void>;
  close?(): void | PromiseLike<void>;
  abort?(reason?: any): void | PromiseLike<void>;
}
declare class WritableStream<T = any> {
  constructor(sink?: UnderlyingSink<T>, strategy?: QueuingStrategy<T>);
  readonly locked: boolean;
  getWriter(): WritableStreamDefaultWriter<T>;
  abort(reason?: any): Promise<void>;
  close(): Promise<void>;
}
declare class WritableStreamDefaultWriter<T = any> {
  readonly closed: Promise<void>;
  readonly ready: Promise<void>;
  readonly desiredSize: number | null;
  write(chunk: T): Promise<void>;
  close(): Promise<void>;
  abort(reason?: any): Promise<void>;
  releaseLock(): void;
}

interface Body {
  /** null for a null body (no body given, HEAD, 101/103/204/205/304). */
  readonly body: ReadableStream | null;
  /** True once a non-null body was read (text(), json()... or its stream). */
  readonly bodyUsed: boolean;
  text(): Promise<string>;
  json(): Promise<any>;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  blob(): Promise<Blob>;
}

interface RequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit | null;
  /** Required ('half') with a ReadableStream body. */
  duplex?: 'half';
  /** 'follow' (default, at most 20 hops; never https -> http), 'error' or 'manual'. */
  redirect?: 'follow' | 'error' | 'manual';
  signal?: AbortSignal | null;
  mode?: 'cors' | 'same-origin' | 'no-cors';
  credentials?: 'omit' | 'same-origin' | 'include';
  cache?: 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached';
  referrer?: string;
  referrerPolicy?: string;
  integrity?: string;
  keepalive?: boolean;
  priority?: 'auto' | 'high' | 'low';
  window?: null;
  /** Whole-request timeout in ms (mcujs extension, fetch only; default 30000). */
  timeout?: number;
  /** Largest response body accepted, in bytes (mcujs extension, fetch only). */
  maxBodySize?: number;
  /** mcujs extension, fetch only: trust anchors (PEM) for this request only. */
  ca?: string;
  /** mcujs extension, fetch only: a client certificate (PEM chain) and its key, both or neither. */
  cert?: string;
  key?: string;
  /** mcujs extension, fetch only: ALPN protocol names, in preference order. */
  alpn?: string[];
}

declare class Request implements Body {
  constructor(input: string | Request, init?: RequestInit);
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly redirect: 'follow' | 'error' | 'manual';
  readonly signal: AbortSignal | null;
  readonly mode: string;
  readonly credentials: string;
  readonly cache: string;
  readonly referrer: string;
  readonly referrerPolicy: string;
  readonly integrity: string;
  readonly keepalive: boolean;
  readonly destination: string;
  readonly duplex: 'half';
  readonly isReloadNavigation: boolean;
  readonly isHistoryNavigation: boolean;
  readonly body: ReadableStream | null;
  readonly bodyUsed: boolean;
  clone(): Request;
  text(): Promise<string>;
  json(): Promise<any>;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  blob(): Promise<Blob>;
}

interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

declare class Response implements Body {
  constructor(body?: BodyInit | null, init?: ResponseInit);
  static error(): Response;
  static json(data: any, init?: ResponseInit): Response;
  static redirect(url: string, status?: 301 | 302 | 303 | 307 | 308): Response;
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly url: string;
  readonly headers: Headers;
  readonly redirected: boolean;
  readonly type: 'default' | 'basic' | 'error';
  readonly body: ReadableStream | null;
  readonly bodyUsed: boolean;
  /** Whether the request went over a kept-alive connection (mcujs, for tests). */
  readonly _reused: boolean;
  /** Non-standard: the TLS connection it came over resumed a cached session. */
  readonly _resumed: boolean;
  clone(): Response;
  text(): Promise<string>;
  json(): Promise<any>;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  blob(): Promise<Blob>;
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

/**
 * HTTP/1.1 over TCP or verified TLS, with keep-alive connection reuse.
 * Refused redirects reject with a TypeError whose `code` is
 * 'INSECURE_REDIRECT' (https -> http), 'TOO_MANY_REDIRECTS' (more than 20),
 * 'REDIRECT_MODE_ERROR' or 'BAD_REDIRECT_LOCATION'.
 */
declare const fetch: {
  (input: string | Request, init?: RequestInit): Promise<Response>;
  /** Connection pool counters. */
  stats(): FetchStats;
  /** Changes pool and limit defaults for later requests. */
  configure(options: FetchConfig): void;
};

/** Web Storage on the device's flash store (the state directory on Linux):
 * string keys and values (others converted with String()), kept across
 * reboots; 2048 bytes of keys, values and 4 per item (docs/storage.md). */
interface McujsStorage {
  readonly length: number;
  getItem(key: string): string | null;
  /** Throws an Error named "QuotaExceededError" (code 22) beyond the quota. */
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  clear(): void;
  key(index: number): string | null;
}
declare const localStorage: McujsStorage;
declare class Blob {
  constructor(parts?: Iterable<string | ArrayBuffer | ArrayBufferView | Blob>, options?: { type?: string });
  readonly size: number;
  readonly type: string;
  slice(start?: number, end?: number, contentType?: string): Blob;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
}

declare class FormData {
  constructor();
  append(name: string, value: string | Blob, filename?: string): void;
  set(name: string, value: string | Blob, filename?: string): void;
  get(name: string): string | Blob | null;
  getAll(name: string): (string | Blob)[];
  has(name: string): boolean;
  delete(name: string): void;
  forEach(callback: (value: string | Blob, name: string, form: FormData) => void, thisArg?: any): void;
  entries(): IterableIterator<[string, string | Blob]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string | Blob>;
  [Symbol.iterator](): IterableIterator<[string, string | Blob]>;
}

declare class URLSearchParams {
  constructor(init?: string | Record<string, string> | Iterable<[string, string]> | URLSearchParams);
  readonly size: number;
  append(name: string, value: string): void;
  delete(name: string, value?: string): void;
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string, value?: string): boolean;
  set(name: string, value: string): void;
  sort(): void;
  forEach(callback: (value: string, name: string, params: URLSearchParams) => void, thisArg?: any): void;
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  toString(): string;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}

/** The WHATWG URL standard's (every scheme; IDNA without UTS #46's mapping table). */
declare class URL {
  constructor(url: string | URL, base?: string | URL);
  static canParse(url: string, base?: string): boolean;
  static parse(url: string, base?: string): URL | null;
  href: string;
  readonly origin: string;
  protocol: string;
  host: string;
  hostname: string;
  port: string;
  pathname: string;
  search: string;
  hash: string;
  username: string;
  password: string;
  readonly searchParams: URLSearchParams;
  toString(): string;
  toJSON(): string;
}

declare class TextEncoder {
  readonly encoding: 'utf-8';
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare class TextDecoder {
  /** UTF-8, UTF-16LE and UTF-16BE (and their labels); others throw a RangeError. */
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  decode(input?: ArrayBuffer | ArrayBufferView, options?: { stream?: boolean }): string;
}

declare class AbortSignal {
  static abort(reason?: any): AbortSignal;
  static timeout(milliseconds: number): AbortSignal;
  static any(signals: Iterable<AbortSignal>): AbortSignal;
  readonly aborted: boolean;
  readonly reason: any;
  onabort: ((event: { type: 'abort'; target: AbortSignal }) => void) | null;
  throwIfAborted(): void;
  addEventListener(type: 'abort', listener: (event: { type: 'abort'; target: AbortSignal }) => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: (...args: any[]) => void): void;
}
declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: any): void;
}

/** Forgiving base64 (HTML); characters above U+00FF throw InvalidCharacterError. */
declare function atob(data: string): string;
declare function btoa(data: string): string;
declare function queueMicrotask(callback: () => void): void;
/** Plain data only: objects, arrays, primitives, Date, RegExp, Map, Set, ArrayBuffer, typed arrays, errors. */
declare function structuredClone<T>(value: T): T;
/** From the TLS layer's DRBG (the first call starts TLS). */
declare const crypto: {
  getRandomValues<T extends Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array>(array: T): T;
  randomUUID(): string;
};
