// The bundle format (bundle/): what the writer packs the reader gives back,
// and every way a bundle is refused; the CLI's feature scan.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "apps/cli/bundle_cmd.h"
#include "bundle/files.h"
#include "bundle/reader.h"
#include "bundle/writer.h"
#include "modules/bindings/js_text.h"

using namespace mcujs;
using bundle::Kind;
using bundle::Status;

namespace {

const bundle::Expect kExpect{"mps2-an385", "2025-04-26", 4};

std::vector<uint8_t> make(const char* board = "mps2-an385", const char* qjs = "2025-04-26", uint8_t bc = 4,
                          uint32_t features = bundle::kFeatureDate) {
  bundle::Writer w(board, qjs, bc);
  char err[256];
  const uint8_t lib[] = {4, 1, 2, 3, 4, 5}, main[] = {4, 9, 9};
  const char cfg[] = "{\"a\":1}";
  EXPECT_TRUE(w.add(Kind::kModule, "lib/x.js", lib, sizeof lib, err, sizeof err)) << err;
  EXPECT_TRUE(w.add(Kind::kFile, "config.json", reinterpret_cast<const uint8_t*>(cfg), strlen(cfg), err,
                    sizeof err))
      << err;
  EXPECT_TRUE(w.add(Kind::kMainModule, "main.js", main, sizeof main, err, sizeof err)) << err;
  w.set_features(features);
  size_t len = 0;
  uint8_t* b = w.finish(&len, err, sizeof err);
  EXPECT_NE(b, nullptr) << err;
  std::vector<uint8_t> v(b, b + len);
  free(b);
  return v;
}

// Re-signs a bundle after a test changed its header (a "foreign" bundle
// must be refused for what it is, not for its checksum).
void resign(std::vector<uint8_t>& b) { ASSERT_TRUE(bundle::digest(b.data(), bundle::get_u32(&b[12]), &b[96])); }

Status open(const std::vector<uint8_t>& b, size_t cap = 0) {
  bundle::Reader r;
  return r.open(b.data(), cap ? cap : b.size(), kExpect);
}

}  // namespace

TEST(Bundle, RoundTrip) {
  std::vector<uint8_t> b = make();
  EXPECT_EQ(b.size() % 4, 0u);
  bundle::Reader r;
  ASSERT_EQ(r.open(b.data(), 128 * 1024, kExpect), Status::kOk);  // partition larger than the bundle
  EXPECT_EQ(r.length(), b.size());
  EXPECT_EQ(r.features(), bundle::kFeatureDate);
  ASSERT_EQ(r.entry_count(), 3u);
  EXPECT_STREQ(r.entry(0).name, "lib/x.js");
  EXPECT_EQ(r.entry(0).kind, Kind::kModule);
  EXPECT_EQ(r.entry(0).size, 6u);
  EXPECT_EQ(r.entry(0).data[5], 5);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(r.entry(0).data) % 4, reinterpret_cast<uintptr_t>(b.data()) % 4);
  EXPECT_EQ(r.entry(2).kind, Kind::kMainModule);
  bundle::Entry e;
  ASSERT_TRUE(r.find(Kind::kFile, "config.json", &e));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(e.data), e.size), "{\"a\":1}");
  EXPECT_FALSE(r.find(Kind::kFile, "main.js", &e));  // a module is no file

  bundle::BundleFiles files(r);
  uint8_t* out = nullptr;
  auto alloc = [](void*, size_t n) { return static_cast<uint8_t*>(malloc(n)); };
  ASSERT_EQ(files.read("./config.json", alloc, nullptr, &out), 7);
  EXPECT_EQ(memcmp(out, "{\"a\":1}", 7), 0);
  free(out);
  EXPECT_EQ(files.read("missing.json", alloc, nullptr, &out), port::kNotFound);
}

TEST(Bundle, RefusesMissing) {
  std::vector<uint8_t> erased(4096, 0xFF), zero(4096, 0);
  EXPECT_EQ(open(erased), Status::kMissing);
  EXPECT_EQ(open(zero), Status::kMissing);
  bundle::Reader r;
  EXPECT_EQ(r.open(nullptr, 0, kExpect), Status::kMissing);
}

TEST(Bundle, RefusesBadMagicAndFormat) {
  std::vector<uint8_t> b = make();
  b[0] ^= 1;
  EXPECT_EQ(open(b), Status::kBadMagic);
  b = make();
  b[8] = 2;  // format version 2
  EXPECT_EQ(open(b), Status::kBadFormat);
}

TEST(Bundle, RefusesEveryCorruptByte) {
  // Any single flipped bit outside the padding is caught (checksum, or a
  // header check before it); none is accepted.
  const std::vector<uint8_t> good = make();
  for (size_t i = 0; i < good.size(); i++) {
    std::vector<uint8_t> b = good;
    b[i] ^= 0x10;
    EXPECT_NE(open(b), Status::kOk) << "byte " << i;
  }
}

TEST(Bundle, RefusesTruncated) {
  std::vector<uint8_t> b = make();
  EXPECT_EQ(open(b, b.size() - 1), Status::kTruncated);  // length runs past the bytes available
  EXPECT_EQ(open(b, 100), Status::kTruncated);           // not even a header
  // Cut short in flash: the rest is erased flash, the checksum fails.
  std::vector<uint8_t> flash(b.size(), 0xFF);
  memcpy(flash.data(), b.data(), b.size() / 2);
  EXPECT_EQ(open(flash), Status::kBadChecksum);
}

TEST(Bundle, RefusesForeign) {
  bundle::Reader r;
  std::vector<uint8_t> b = make("mps3-an547");
  EXPECT_EQ(r.open(b.data(), b.size(), kExpect), Status::kOtherBoard);
  EXPECT_STREQ(r.board(), "mps3-an547");
  b = make("mps2-an385", "2024-01-13");
  EXPECT_EQ(r.open(b.data(), b.size(), kExpect), Status::kOtherQuickJs);
  EXPECT_STREQ(r.quickjs_version(), "2024-01-13");
  b = make("mps2-an385", "2025-04-26", 5);
  EXPECT_EQ(open(b), Status::kOtherQuickJs);
  b = make("mps2-an385", "2025-04-26", 4, 1u << 20);
  EXPECT_EQ(open(b), Status::kUnknownFeature);
}

TEST(Bundle, RefusesBadEntryTables) {
  std::vector<uint8_t> b = make();
  const size_t e0 = 128;
  auto set32 = [&](size_t at, uint32_t v) { bundle::put_u32(&b[at], v); };
  set32(e0 + 4, static_cast<uint32_t>(b.size()));  // data offset at the end, size 6: out of bounds
  resign(b);
  EXPECT_EQ(open(b), Status::kBadLayout);
  b = make();
  set32(e0 + 4, 0);  // data inside the header
  resign(b);
  EXPECT_EQ(open(b), Status::kBadLayout);
  b = make();
  set32(e0 + 8, 0xFFFFFFF0u);  // size overflowing offset + size
  resign(b);
  EXPECT_EQ(open(b), Status::kBadLayout);
  b = make();
  set32(e0, 7);  // unknown kind
  resign(b);
  EXPECT_EQ(open(b), Status::kBadLayout);
  b = make();
  memset(&b[e0 + 12], 'a', bundle::kNameLen);  // name without its NUL
  resign(b);
  EXPECT_EQ(open(b), Status::kBadLayout);
  b = make();
  set32(e0 + 2 * 64, 1);  // the main module made an ordinary one: no main
  resign(b);
  EXPECT_EQ(open(b), Status::kBadLayout);
  b = make();
  set32(64, 1000);  // more entries than the format allows
  resign(b);
  EXPECT_EQ(open(b), Status::kBadLayout);
}

TEST(Bundle, WriterRefusesBadEntries) {
  bundle::Writer w("mps2-an385", "2025-04-26", 4);
  char err[256];
  const uint8_t d[] = {1};
  EXPECT_FALSE(w.add(Kind::kModule, "", d, 1, err, sizeof err));
  std::string long_name(bundle::kNameLen, 'x');
  EXPECT_FALSE(w.add(Kind::kModule, long_name.c_str(), d, 1, err, sizeof err));
  EXPECT_NE(strstr(err, "1 to 51 characters"), nullptr) << err;
  EXPECT_TRUE(w.add(Kind::kModule, "a.js", d, 1, err, sizeof err));
  EXPECT_FALSE(w.add(Kind::kFile, "a.js", d, 1, err, sizeof err));
  EXPECT_NE(strstr(err, "twice"), nullptr) << err;
}

TEST(BundleFeatures, ScanFindsWhatTheSourceUses) {
  auto scan = [](const char* s) { return cli::scan_features(s, strlen(s)); };
  EXPECT_EQ(scan("console.log(1 / 2); let x = a / b / c;"), 0u);
  EXPECT_EQ(scan("const t = Date.now();"), bundle::kFeatureDate);
  EXPECT_EQ(scan("if (/ab+c/.test(s)) {}"), bundle::kFeatureRegExp);
  EXPECT_EQ(scan("const r = /x\\/y/g;"), bundle::kFeatureRegExp);
  EXPECT_EQ(scan("return /a/;"), bundle::kFeatureRegExp);
  EXPECT_EQ(scan("s.split(/,/)"), bundle::kFeatureRegExp);
  EXPECT_EQ(scan("new Map(); new WeakSet();"), bundle::kFeatureMapSet);
  EXPECT_EQ(scan("new Uint8Array(4)"), bundle::kFeatureTypedArrays);
  EXPECT_EQ(scan("new Blob([s]); new TextEncoder(); crypto.randomUUID()"), bundle::kFeatureTypedArrays);
  EXPECT_EQ(scan("await fetch(url)"), bundle::kFeatureFetch);
  EXPECT_EQ(scan("tls.connect({})"), bundle::kFeatureTls);
  EXPECT_EQ(scan("photon.pin('D0').read(); dht11.read()"), bundle::kFeatureBoard);
  // Inside template substitutions, nested ones too, but not in their text.
  EXPECT_EQ(scan("console.log(`t=${new Date().getTime()}`)"), bundle::kFeatureDate);
  EXPECT_EQ(scan("`a ${`b ${new Map()}`} Date ${ {x: 1}.x } ${fetch}`"), bundle::kFeatureMapSet | bundle::kFeatureFetch);
  EXPECT_EQ(scan("const r = /[/]Date/; x = 1"), bundle::kFeatureRegExp);
  // Comments and strings do not count; words only whole.
  EXPECT_EQ(scan("// Date.now() and /re/\n/* new Map() */ const s = 'fetch(x) / Date';"), 0u);
  EXPECT_EQ(scan("const Dated = 1, Mapping = 2, tlsx = 3;"), 0u);
}

// The Web globals written in JavaScript, compiled (modules/bindings/js_text.h):
// entries of their own kind, found by the global's name, never as a file or
// a module; an empty one is refused as an empty module is.
TEST(Bundle, JsTextEntries) {
  bundle::Writer w("mps2-an385", "2025-04-26", 4);
  char err[256];
  const uint8_t text[] = {4, 7, 7}, main[] = {4, 9};
  ASSERT_TRUE(w.add(Kind::kJsText, "URL", text, sizeof text, err, sizeof err)) << err;
  ASSERT_TRUE(w.add(Kind::kMainModule, "main.js", main, sizeof main, err, sizeof err)) << err;
  size_t len = 0;
  uint8_t* b = w.finish(&len, err, sizeof err);
  ASSERT_NE(b, nullptr) << err;
  std::vector<uint8_t> v(b, b + len);
  free(b);
  bundle::Reader r;
  ASSERT_EQ(r.open(v.data(), v.size(), kExpect), Status::kOk);
  bundle::Entry e;
  ASSERT_TRUE(r.find(Kind::kJsText, "URL", &e));
  EXPECT_EQ(e.size, 3u);
  EXPECT_EQ(e.data[1], 7);
  EXPECT_FALSE(r.find(Kind::kFile, "URL", &e));
  EXPECT_FALSE(r.find(Kind::kJsText, "FormData", &e));
  bundle::put_u32(&v[128 + 8], 0);  // an empty text
  resign(v);
  EXPECT_EQ(open(v), Status::kBadLayout);
}

// Which compiled texts a bundle gets: the globals' names, `.body` and
// `.formData` (a Body's stream and form) as properties only.
TEST(BundleFeatures, ScanFindsTheWebGlobalsWrittenInJavaScript) {
  auto scan = [](const char* s) { return cli::scan_js_texts(s, strlen(s)); };
  auto bit = [](bind::JsText t) { return 1u << static_cast<unsigned>(t); };
  EXPECT_EQ(scan("console.log(1); fetch(u, { method: 'POST', body: 'x' });"), 0u);
  EXPECT_EQ(scan("new URL(s).searchParams"), bit(bind::JsText::kUrl));
  EXPECT_EQ(scan("new URLSearchParams(q)"), bit(bind::JsText::kSearchParams));
  EXPECT_EQ(scan("const c = new AbortController(); AbortSignal.timeout(5)"), bit(bind::JsText::kAbort));
  EXPECT_EQ(scan("structuredClone(x)"), bit(bind::JsText::kClone));
  EXPECT_EQ(scan("new FormData(); await r.formData()"), bit(bind::JsText::kFormData));
  EXPECT_EQ(scan("const reader = res.body.getReader();"), bit(bind::JsText::kStreams));
  EXPECT_EQ(scan("new WritableStream({})"), bit(bind::JsText::kStreams));
  // In comments, strings, as object keys or parts of words: no.
  EXPECT_EQ(scan("// new URL(x)\nconst s = 'FormData'; const o = { body: 1, formData: 2 }; const URLs = 1;"), 0u);
}

TEST(BundleFeatures, ParseList) {
  uint32_t m = 0;
  char err[256];
  ASSERT_TRUE(cli::parse_features("date,fetch", &m, err, sizeof err));
  EXPECT_EQ(m, bundle::kFeatureDate | bundle::kFeatureFetch);
  ASSERT_TRUE(cli::parse_features("", &m, err, sizeof err));
  EXPECT_EQ(m, 0u);
  EXPECT_FALSE(cli::parse_features("date,proxy", &m, err, sizeof err));
  EXPECT_NE(strstr(err, "'proxy'"), nullptr) << err;
}
