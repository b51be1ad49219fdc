// net/http/header_list: the Fetch standard's header list (names, values,
// normalisation, set/remove order, sort-and-combine, bounds, allocation
// failures).
#include "net/http/header_list.h"

#include <gtest/gtest.h>

#include "tests/unit/http_test_alloc.h"

#include <cstdlib>
#include <string>
#include <vector>

using mcujs::net::http::Allocator;
using mcujs::net::http::Field;
using mcujs::net::http::HeaderList;
using R = HeaderList::Result;

namespace {

Allocator heap() { return test_heap(); }

R add(HeaderList& l, const std::string& n, const std::string& v) { return l.append(n.data(), n.size(), v.data(), v.size()); }
R put(HeaderList& l, const std::string& n, const std::string& v) { return l.set(n.data(), n.size(), v.data(), v.size()); }

std::string get(const HeaderList& l, const std::string& n) {
  long len = l.combined(n.data(), n.size(), nullptr, 0);
  if (len < 0) return "<null>";
  std::string s(static_cast<size_t>(len), '\0');
  l.combined(n.data(), n.size(), s.data(), s.size());
  return s;
}

// "name: value" per entry of sort-and-combine.
std::vector<std::string> sorted(const HeaderList& l) {
  std::vector<std::string> out;
  Field name, single;
  for (size_t i = 0; l.sorted_at(i, &name, &single); i++) {
    std::string n(name.name, name.name_len);
    out.push_back(n + ": " + (single.value ? std::string(single.value, single.value_len) : get(l, n)));
  }
  EXPECT_EQ(out.size(), l.sorted_count());
  return out;
}

std::vector<std::string> raw(const HeaderList& l) {
  std::vector<std::string> out;
  Field f;
  for (size_t i = 0; l.at(i, &f); i++) out.push_back(std::string(f.name, f.name_len) + "=" + std::string(f.value, f.value_len));
  return out;
}

TEST(HeaderList, NamesAreCaseInsensitiveAndStoredLowercase) {
  HeaderList l(heap());
  EXPECT_EQ(add(l, "X-Token", "a"), R::kOk);
  EXPECT_TRUE(l.has("x-token", 7));
  EXPECT_TRUE(l.has("X-TOKEN", 7));
  EXPECT_FALSE(l.has("x-toke", 6));
  EXPECT_EQ(raw(l), std::vector<std::string>{"x-token=a"});
}

TEST(HeaderList, ValuesAreNormalisedAndValidated) {
  HeaderList l(heap());
  EXPECT_EQ(add(l, "a", " \t\r\nv w\t \n"), R::kOk);
  EXPECT_EQ(get(l, "a"), "v w");
  EXPECT_EQ(add(l, "b", "x\fy\x01z"), R::kOk);  // the standard allows \f and other controls
  EXPECT_EQ(get(l, "b"), "x\fy\x01z");
  EXPECT_EQ(add(l, "c", "\xE9\xFF"), R::kOk);  // obs-text
  EXPECT_EQ(add(l, "d", std::string("a\0b", 3)), R::kBadValue);
  EXPECT_EQ(add(l, "d", "a\rb"), R::kBadValue);
  EXPECT_EQ(add(l, "d", "a\nb"), R::kBadValue);
  EXPECT_EQ(add(l, "d", "a\r\nInjected: 1"), R::kBadValue);
  EXPECT_EQ(add(l, "bad name", "v"), R::kBadName);
  EXPECT_EQ(add(l, "", "v"), R::kBadName);
  EXPECT_EQ(add(l, "na:me", "v"), R::kBadName);
  EXPECT_EQ(add(l, "e", ""), R::kOk);
  EXPECT_EQ(get(l, "e"), "");
  EXPECT_EQ(l.count(), 4u);
}

TEST(HeaderList, CombinedJoinsInOrder) {
  HeaderList l(heap());
  add(l, "Accept", "a");
  add(l, "x", "1");
  add(l, "accept", "b");
  EXPECT_EQ(get(l, "ACCEPT"), "a, b");
  EXPECT_EQ(get(l, "missing"), "<null>");
  char small[3];
  EXPECT_EQ(l.combined("accept", 6, small, sizeof small), 4);  // truncated, full length reported
  EXPECT_EQ(std::string(small, 3), "a, ");
}

TEST(HeaderList, SetKeepsTheFirstPositionAndDropsTheRest) {
  HeaderList l(heap());
  add(l, "a", "1");
  add(l, "b", "2");
  add(l, "A", "3");
  add(l, "c", "4");
  EXPECT_EQ(put(l, "a", "longer value"), R::kOk);
  EXPECT_EQ(raw(l), (std::vector<std::string>{"a=longer value", "b=2", "c=4"}));
  EXPECT_EQ(put(l, "a", ""), R::kOk);
  EXPECT_EQ(raw(l), (std::vector<std::string>{"a=", "b=2", "c=4"}));
  EXPECT_EQ(put(l, "d", "5"), R::kOk);
  EXPECT_EQ(raw(l), (std::vector<std::string>{"a=", "b=2", "c=4", "d=5"}));
  EXPECT_EQ(put(l, "d", "x\ny"), R::kBadValue);
  EXPECT_EQ(get(l, "d"), "5");
  EXPECT_EQ(l.bytes(), 1u + 2 + 2 + 2);
}

TEST(HeaderList, RemoveDropsEveryField) {
  HeaderList l(heap());
  add(l, "a", "1");
  add(l, "b", "2");
  add(l, "A", "3");
  l.remove("A", 1);
  EXPECT_EQ(raw(l), std::vector<std::string>{"b=2"});
  EXPECT_EQ(l.count(), 1u);
  EXPECT_EQ(l.bytes(), 2u);
  l.remove("zz", 2);
  EXPECT_EQ(l.count(), 1u);
}

TEST(HeaderList, SortAndCombineKeepsSetCookieApart) {
  HeaderList l(heap());
  add(l, "X-B", "1");
  add(l, "Set-Cookie", "s=1");
  add(l, "a", "2");
  add(l, "x-b", "3");
  add(l, "set-cookie", "t=2");
  add(l, "x-a", "4");
  EXPECT_EQ(sorted(l), (std::vector<std::string>{"a: 2", "set-cookie: s=1", "set-cookie: t=2", "x-a: 4", "x-b: 1, 3"}));
  HeaderList empty(heap());
  EXPECT_EQ(sorted(empty), std::vector<std::string>{});
}

TEST(HeaderList, BoundsAreEnforced) {
  HeaderList::Limits lim;
  lim.max_entries = 3;
  lim.max_bytes = 10;
  HeaderList l(heap(), lim);
  EXPECT_EQ(add(l, "a", "1"), R::kOk);
  EXPECT_EQ(add(l, "b", "2"), R::kOk);
  EXPECT_EQ(add(l, "c", "345678"), R::kFull);  // 4 + 7 > 10 bytes
  EXPECT_EQ(add(l, "c", "3"), R::kOk);
  EXPECT_EQ(add(l, "d", "4"), R::kFull);  // a fourth entry
  EXPECT_EQ(put(l, "a", "123456789"), R::kFull);
  EXPECT_EQ(l.count(), 3u);
}

TEST(HeaderList, AssignCopies) {
  HeaderList a(heap()), b(heap());
  add(a, "x", "1");
  add(a, "y", "2");
  add(b, "z", "3");
  EXPECT_EQ(b.assign(a), R::kOk);
  EXPECT_EQ(raw(b), raw(a));
  EXPECT_EQ(b.assign(b), R::kOk);
  EXPECT_EQ(raw(b), raw(a));
}

TEST(HeaderList, AllocationFailureIsReported) {
  Allocator none;
  none.alloc = [](void*, size_t) -> void* { return nullptr; };
  none.realloc = [](void*, void*, size_t) -> void* { return nullptr; };
  none.free = [](void*, void*) {};
  HeaderList l(none);
  EXPECT_EQ(add(l, "a", "1"), R::kNoMemory);
  EXPECT_EQ(l.count(), 0u);
  EXPECT_FALSE(l.has("a", 1));
}

}  // namespace
