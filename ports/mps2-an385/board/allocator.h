// The firmware's malloc (docs/firmware.md, "Levers"): segregated free lists
// with boundary tags, in place of newlib-nano's single first-fit list.
// Why: QuickJS makes thousands of small blocks and grows its tables with
// realloc; nano never grows a block in place (the old block becomes a hole)
// and puts 8 bytes in front of every block. Here:
//  - a 4-byte header (size + two flags); payloads 8-byte aligned;
//  - exact free lists for blocks up to 512 bytes, four lists per power of two
//    above: a request takes a block of its own size when there is one;
//  - freed neighbours merge at once, and a free block at the end of the heap
//    goes back to the unused space at its end (the "top");
//  - realloc grows in place into a free neighbour or the top, and shrinks in
//    place.
// Portable C++ (host unit tests: tests/unit/block_heap_test.cpp); the memory
// comes from a grow function (the firmware's _sbrk), so the break's
// high-water mark stays the heap's real footprint. Not thread-safe (one
// thread on this board). Every failure returns nullptr.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcujs::mps2 {

class BlockHeap {
 public:
  // Extends the memory by n bytes right after what it returned before (like
  // sbrk); returns the start of the new bytes or nullptr.
  using GrowFn = void* (*)(size_t n, void* ctx);

  constexpr BlockHeap(GrowFn grow, void* ctx) : grow_(grow), ctx_(ctx) {}
  BlockHeap(const BlockHeap&) = delete;
  BlockHeap& operator=(const BlockHeap&) = delete;

  void* allocate(size_t n);
  void release(void* p);
  void* reallocate(void* p, size_t n);
  void* allocate_zeroed(size_t count, size_t size);
  static size_t usable_size(const void* p);

  struct Stats {
    size_t blocks = 0;       // blocks in use
    size_t payload = 0;      // their usable bytes
    size_t free_blocks = 0;  // holes between blocks (in the free lists)
    size_t free_bytes = 0;
    size_t span = 0;         // bytes from the first block to the top
    size_t top_spare = 0;    // grown but not yet carved (after the top)
  };
  // Walks every block and checks the structure (flags, footers, lists);
  // false if anything is inconsistent. For tests and reports.
  bool check(Stats* out) const;

  static constexpr size_t kHeader = 4;
  static constexpr size_t kAlign = 8;
  static constexpr size_t kMinBlock = 16;  // header + two list links + footer
  static constexpr size_t kMaxRequest = 1u << 24;

 private:
  static constexpr unsigned kExactBins = 62;  // 16..504 by 8
  static constexpr unsigned kBins = kExactBins + 4 * 16;
  static constexpr uint32_t kNone = 0xffffffffu;
  static constexpr uint16_t kNoHead = 0xffff;
  static constexpr size_t kMaxSpan = size_t{kNoHead} * kAlign;  // offsets a head can hold
  uint32_t head(unsigned bin) const { return heads_[bin] == kNoHead ? kNone : uint32_t{heads_[bin]} * kAlign; }
  void set_head(unsigned bin, uint32_t off) {
    heads_[bin] = off == kNone ? kNoHead : static_cast<uint16_t>(off / kAlign);
  }

  static unsigned bin_of(size_t size);
  bool init();
  char* at(uint32_t off) const { return base_ + off; }
  uint32_t off_of(const char* b) const { return static_cast<uint32_t>(b - base_); }
  void link(char* b);
  void unlink(char* b);
  char* take_free(size_t size);
  void carve(char* b, size_t size);
  bool grow_top(size_t need);
  void free_block(char* b);

  GrowFn grow_;
  void* ctx_;
  char* base_ = nullptr;  // first block (its payload 8-aligned)
  char* top_ = nullptr;   // end of the blocks
  char* end_ = nullptr;   // end of the memory obtained so far
  // List heads: block offsets / 8 (blocks sit at 4 mod 8, base_ too), 16 bits
  // to halve this table's static RAM; kNoHead: empty. Valid once base_ is set.
  uint16_t heads_[kBins] = {};
  uint32_t map_[(kBins + 31) / 32] = {};
};

}  // namespace mcujs::mps2
