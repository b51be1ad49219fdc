// The firmware's allocator (ports/mps2-an385/board/allocator.h) on the host, over a
// fixed arena grown like sbrk: random alloc/free/realloc sequences checked
// against a model (each live block's size and fill pattern), the structure
// checked after every step, exhaustion refused cleanly, and the in-place
// growth and the merging of neighbours that motivate it.
#include "ports/mps2-an385/board/allocator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

namespace {

using mcujs::mps2::BlockHeap;

struct Arena {
  alignas(8) unsigned char mem[64 * 1024];
  size_t brk = 0;
  size_t limit = sizeof(mem);
  static void* grow(size_t n, void* ctx) {
    auto* a = static_cast<Arena*>(ctx);
    if (n > a->limit - a->brk) return nullptr;
    void* p = a->mem + a->brk;
    a->brk += n;
    return p;
  }
};

struct Live {
  unsigned char* p;
  size_t n;
  unsigned char fill;
};

bool intact(const Live& l) {
  for (size_t i = 0; i < l.n; i++)
    if (l.p[i] != l.fill) return false;
  return true;
}

TEST(BlockHeap, RandomSequencesMatchAModel) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (unsigned seed = 1; seed <= 20 && std::chrono::steady_clock::now() < deadline; seed++) {
    auto arena = std::make_unique<Arena>();
    arena->limit = 24 * 1024 + seed * 1000;
    BlockHeap heap(Arena::grow, arena.get());
    std::mt19937 rng(seed);
    std::vector<Live> live;
    size_t refused = 0;
    for (int step = 0; step < 4000; step++) {
      unsigned op = rng() % 10;
      // Mostly QuickJS-like small blocks, some large ones.
      size_t n = (rng() % 8 == 0) ? rng() % 3000 : rng() % 120;
      if (op < 5 || live.empty()) {
        auto* p = static_cast<unsigned char*>(op == 0 ? heap.allocate_zeroed(n, 1) : heap.allocate(n));
        if (!p) {
          refused++;
          continue;
        }
        ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % 8, 0u);
        ASSERT_GE(BlockHeap::usable_size(p), n);
        ASSERT_LE(BlockHeap::usable_size(p), n + 4 + 8 + 12);  // no more than one split's worth
        if (op == 0) {
          for (size_t i = 0; i < n; i++) ASSERT_EQ(p[i], 0);
        }
        auto fill = static_cast<unsigned char>(rng());
        std::memset(p, fill, n);
        live.push_back({p, n, fill});
      } else if (op < 8) {
        size_t i = rng() % live.size();
        ASSERT_TRUE(intact(live[i]));
        heap.release(live[i].p);
        live[i] = live.back();
        live.pop_back();
      } else {
        size_t i = rng() % live.size();
        size_t m = n + 1;
        auto* q = static_cast<unsigned char*>(heap.reallocate(live[i].p, m));
        if (!q) {  // refused: the old block is untouched
          refused++;
          ASSERT_TRUE(intact(live[i]));
          continue;
        }
        size_t keep = m < live[i].n ? m : live[i].n;
        for (size_t k = 0; k < keep; k++) ASSERT_EQ(q[k], live[i].fill);
        std::memset(q, live[i].fill, m);
        live[i].p = q;
        live[i].n = m;
      }
      BlockHeap::Stats st;
      ASSERT_TRUE(heap.check(&st)) << "seed " << seed << " step " << step;
      ASSERT_EQ(st.blocks, live.size());
    }
    for (auto& l : live) {
      ASSERT_TRUE(intact(l));
      heap.release(l.p);
    }
    BlockHeap::Stats st;
    ASSERT_TRUE(heap.check(&st));
    // Everything freed goes back to the top: no block, no hole is left.
    EXPECT_EQ(st.blocks, 0u);
    EXPECT_EQ(st.free_blocks, 0u);
    EXPECT_EQ(st.span, 0u);
    EXPECT_GT(refused, 0u) << "seed " << seed << " never reached the arena's limit";
  }
}

TEST(BlockHeap, RefusesCleanlyWhenFullAndRecovers) {
  auto arena = std::make_unique<Arena>();
  arena->limit = 4096;
  BlockHeap heap(Arena::grow, arena.get());
  std::vector<void*> blocks;
  for (int i = 0; i < 1000; i++) {
    void* p = heap.allocate(100);
    if (!p) break;
    blocks.push_back(p);
  }
  ASSERT_FALSE(blocks.empty());
  EXPECT_LT(blocks.size(), 1000u);
  EXPECT_EQ(heap.allocate(100), nullptr);
  EXPECT_EQ(heap.allocate(SIZE_MAX), nullptr);
  EXPECT_EQ(heap.allocate_zeroed(SIZE_MAX / 2, 4), nullptr);
  EXPECT_EQ(heap.reallocate(blocks.back(), 8192), nullptr);
  ASSERT_TRUE(heap.check(nullptr));
  heap.release(blocks.front());
  EXPECT_NE(heap.allocate(100), nullptr);  // the hole is reused
}

TEST(BlockHeap, GrowsInPlaceAndMergesNeighbours) {
  auto arena = std::make_unique<Arena>();
  BlockHeap heap(Arena::grow, arena.get());
  void* a = heap.allocate(40);
  void* b = heap.allocate(40);
  void* c = heap.allocate(40);
  // The last block grows into the top without moving.
  EXPECT_EQ(heap.reallocate(c, 400), c);
  // A block followed by a free one grows into it without moving.
  heap.release(b);
  EXPECT_EQ(heap.reallocate(a, 80), a);
  // Header: 4 bytes; a 12-byte request takes a 16-byte block.
  void* d = heap.allocate(12);
  EXPECT_EQ(BlockHeap::usable_size(d), 12u);
  heap.release(d);
  heap.release(a);
  heap.release(c);
  BlockHeap::Stats st;
  ASSERT_TRUE(heap.check(&st));
  EXPECT_EQ(st.span, 0u);
  EXPECT_EQ(st.free_blocks, 0u);
}

TEST(BlockHeap, ReusesAnExactHoleBeforeGrowing) {
  auto arena = std::make_unique<Arena>();
  BlockHeap heap(Arena::grow, arena.get());
  void* keep1 = heap.allocate(24);
  void* hole = heap.allocate(56);
  void* keep2 = heap.allocate(24);
  heap.release(hole);
  size_t brk = arena->brk;
  EXPECT_EQ(heap.allocate(56), hole);
  EXPECT_EQ(arena->brk, brk);
  heap.release(keep1);
  heap.release(keep2);
  ASSERT_TRUE(heap.check(nullptr));
}

}  // namespace
