// net/http/redirect: the redirect policy (hop limit, https -> http refused,
// credentials dropped across origins, method changes).
#include "net/http/redirect.h"

#include <gtest/gtest.h>

#include "tests/unit/http_test_alloc.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

using namespace mcujs::net;
using namespace mcujs::net::http;

namespace {

Allocator heap() { return test_heap(); }

struct Hop {
  RedirectError err;
  RedirectPlan plan;
  std::string href;
};

Hop hop(const std::string& from, const std::string& loc, int status = 302, const char* method = "GET", int hops = 0) {
  auto base = std::make_unique<Url>();
  auto next = std::make_unique<Url>();
  EXPECT_EQ(parse_url(from.data(), from.size(), base.get()), UrlError::kOk);
  Hop h;
  h.err = plan_redirect(*base, loc.data(), loc.size(), status, method, hops, next.get(), &h.plan);
  if (h.err == RedirectError::kOk || h.err == RedirectError::kInsecure) {
    char buf[Url::kMaxInput + 64];
    next->href(buf, sizeof buf);
    h.href = buf;
  }
  return h;
}

TEST(Redirect, Statuses) {
  for (int s : {301, 302, 303, 307, 308}) EXPECT_TRUE(is_redirect_status(s)) << s;
  for (int s : {200, 300, 304, 305, 306, 309, 399}) EXPECT_FALSE(is_redirect_status(s)) << s;
}

TEST(Redirect, SameOriginKeepsEverything) {
  Hop h = hop("http://a.test/x/y", "z?q=1");
  EXPECT_EQ(h.err, RedirectError::kOk);
  EXPECT_EQ(h.href, "http://a.test/x/z?q=1");
  EXPECT_FALSE(h.plan.cross_origin);
  EXPECT_FALSE(h.plan.to_get);
}

TEST(Redirect, HttpsToHttpIsRefused) {
  EXPECT_EQ(hop("https://a.test/", "http://a.test/").err, RedirectError::kInsecure);
  EXPECT_EQ(hop("https://a.test/", "http://evil.test:8080/x").err, RedirectError::kInsecure);
  EXPECT_STREQ(redirect_error_code(RedirectError::kInsecure), "INSECURE_REDIRECT");
  // Upgrades and https -> https are fine.
  EXPECT_EQ(hop("http://a.test/", "https://a.test/").err, RedirectError::kOk);
  EXPECT_TRUE(hop("http://a.test/", "https://a.test/").plan.cross_origin);  // scheme differs
  EXPECT_EQ(hop("https://a.test/", "//b.test/").err, RedirectError::kOk);
  EXPECT_EQ(hop("https://a.test/", "//b.test/").href, "https://b.test/");
}

TEST(Redirect, CrossOrigin) {
  EXPECT_TRUE(hop("http://a.test/", "http://b.test/").plan.cross_origin);
  EXPECT_TRUE(hop("http://a.test/", "http://a.test:81/").plan.cross_origin);
  EXPECT_FALSE(hop("http://a.test/", "http://A.TEST:80/p").plan.cross_origin);
}

TEST(Redirect, HopLimitIsTheStandards20) {
  EXPECT_EQ(kMaxRedirects, 20);
  EXPECT_EQ(hop("http://a.test/", "/n", 302, "GET", 19).err, RedirectError::kOk);
  EXPECT_EQ(hop("http://a.test/", "/n", 302, "GET", 20).err, RedirectError::kTooMany);
}

TEST(Redirect, BadLocation) {
  Hop h = hop("http://a.test/", "ftp://x/");
  EXPECT_EQ(h.err, RedirectError::kBadLocation);
  EXPECT_EQ(h.plan.url_error, UrlError::kUnsupportedScheme);
  EXPECT_EQ(hop("http://a.test/", "http://u:p@b.test/").err, RedirectError::kBadLocation);
}

TEST(Redirect, MethodChanges) {
  EXPECT_TRUE(hop("http://a.test/", "/", 303, "POST").plan.to_get);
  EXPECT_TRUE(hop("http://a.test/", "/", 303, "PUT").plan.to_get);
  EXPECT_FALSE(hop("http://a.test/", "/", 303, "HEAD").plan.to_get);
  EXPECT_TRUE(hop("http://a.test/", "/", 301, "POST").plan.to_get);
  EXPECT_TRUE(hop("http://a.test/", "/", 302, "POST").plan.to_get);
  EXPECT_FALSE(hop("http://a.test/", "/", 302, "PUT").plan.to_get);
  EXPECT_FALSE(hop("http://a.test/", "/", 307, "POST").plan.to_get);
  EXPECT_FALSE(hop("http://a.test/", "/", 308, "POST").plan.to_get);
}

TEST(Redirect, StripRemovesCredentialsAcrossOriginsOnly) {
  HeaderList l(heap());
  for (const char* n : {"Authorization", "Cookie", "Proxy-Authorization", "Content-Type", "X-Custom", "Accept"})
    l.append(n, strlen(n), "v", 1);
  RedirectPlan same;
  strip_for_redirect(l, same);
  EXPECT_EQ(l.count(), 6u);
  RedirectPlan cross;
  cross.cross_origin = true;
  strip_for_redirect(l, cross);
  EXPECT_FALSE(l.has("authorization", 13));
  EXPECT_FALSE(l.has("cookie", 6));
  EXPECT_FALSE(l.has("proxy-authorization", 19));
  EXPECT_TRUE(l.has("content-type", 12));
  EXPECT_TRUE(l.has("x-custom", 8));
  RedirectPlan get;
  get.to_get = true;
  strip_for_redirect(l, get);
  EXPECT_FALSE(l.has("content-type", 12));
  EXPECT_TRUE(l.has("accept", 6));
}

}  // namespace
