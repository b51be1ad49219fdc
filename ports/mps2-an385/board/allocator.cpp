// BlockHeap (allocator.h). Block layout, every block 8-byte multiple, at an
// address 4 mod 8 so that its payload is 8-aligned:
//   used: [size | flags : 4] [payload ...]
//   free: [size | flags : 4] [next : 4] [prev : 4] ... [size : 4]
// flags: kFree (this block) and kPrevFree (the block before is free: its size
// is in the word just before this block, so the two can merge). List links
// are 32-bit offsets from base_ (the same layout on a 64-bit host).
// Invariants: no two free blocks touch; the block before the top is used.
#include "ports/mps2-an385/board/allocator.h"

#include <cstring>

namespace mcujs::mps2 {

namespace {

constexpr uint32_t kFree = 1;
constexpr uint32_t kPrevFree = 2;
constexpr uint32_t kFlags = kFree | kPrevFree;

uint32_t load(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
void store(char* p, uint32_t v) { std::memcpy(p, &v, sizeof v); }

size_t size_of(const char* b) { return load(b) & ~kFlags; }
uint32_t flags_of(const char* b) { return load(b) & kFlags; }
void set_header(char* b, size_t size, uint32_t flags) { store(b, static_cast<uint32_t>(size) | flags); }
void set_footer(char* b, size_t size) { store(b + size - 4, static_cast<uint32_t>(size)); }
void set_flag(char* b, uint32_t f) { store(b, load(b) | f); }
void clear_flag(char* b, uint32_t f) { store(b, load(b) & ~f); }

// Block size for a request of n bytes (n <= kMaxRequest).
size_t block_size(size_t n) {
  size_t s = (n + BlockHeap::kHeader + BlockHeap::kAlign - 1) & ~(BlockHeap::kAlign - 1);
  return s < BlockHeap::kMinBlock ? BlockHeap::kMinBlock : s;
}

unsigned log2_floor(size_t v) {
  unsigned r = 0;
  while (v >>= 1) r++;
  return r;
}

}  // namespace

unsigned BlockHeap::bin_of(size_t size) {
  if (size < 512) return static_cast<unsigned>(size >> 3) - 2;
  unsigned fl = log2_floor(size);
  unsigned bin = kExactBins + (fl - 9) * 4 + static_cast<unsigned>((size >> (fl - 2)) & 3);
  return bin < kBins ? bin : kBins - 1;
}

bool BlockHeap::init() {
  char* p = static_cast<char*>(grow_(0, ctx_));
  if (!p) return false;
  size_t pad = (12 - (reinterpret_cast<uintptr_t>(p) & 7)) & 7;  // p + pad == 4 mod 8
  if (pad && grow_(pad, ctx_) != p) return false;
  base_ = top_ = end_ = p + pad;
  for (auto& h : heads_) h = kNoHead;
  return true;
}

void BlockHeap::link(char* b) {
  unsigned bin = bin_of(size_of(b));
  uint32_t next = head(bin);
  store(b + 4, next);
  store(b + 8, kNone);
  if (next != kNone) store(at(next) + 8, off_of(b));
  set_head(bin, off_of(b));
  map_[bin / 32] |= 1u << (bin % 32);
}

void BlockHeap::unlink(char* b) {
  unsigned bin = bin_of(size_of(b));
  uint32_t next = load(b + 4), prev = load(b + 8);
  if (prev != kNone) {
    store(at(prev) + 4, next);
  } else {
    set_head(bin, next);
  }
  if (next != kNone) store(at(next) + 8, prev);
  if (heads_[bin] == kNoHead) map_[bin / 32] &= ~(1u << (bin % 32));
}

// A free block of at least `size` bytes, unlinked: first fit within the
// request's own list (all of one size below 512 bytes), else the head of the
// next non-empty list, whose blocks are all larger.
char* BlockHeap::take_free(size_t size) {
  unsigned bin = bin_of(size);
  for (uint32_t o = head(bin); o != kNone; o = load(at(o) + 4)) {
    if (size_of(at(o)) >= size) {
      unlink(at(o));
      return at(o);
    }
  }
  for (unsigned b = bin + 1; b < kBins;) {
    uint32_t word = map_[b / 32] >> (b % 32);
    if (!word) {
      b = (b / 32 + 1) * 32;
      continue;
    }
    while (!(word & 1)) {
      word >>= 1;
      b++;
    }
    char* blk = at(head(b));
    unlink(blk);
    return blk;
  }
  return nullptr;
}

// Makes the unlinked free block b a used block of `size` bytes; a remainder
// big enough for a block stays free.
void BlockHeap::carve(char* b, size_t size) {
  size_t have = size_of(b);
  uint32_t prev_flag = flags_of(b) & kPrevFree;
  if (have - size >= kMinBlock) {
    char* rest = b + size;
    set_header(rest, have - size, kFree);
    set_footer(rest, have - size);
    link(rest);  // the block after rest already has kPrevFree
    set_header(b, size, prev_flag);
  } else {
    set_header(b, have, prev_flag);
    if (b + have != top_) clear_flag(b + have, kPrevFree);
  }
}

bool BlockHeap::grow_top(size_t need) {
  size_t have = static_cast<size_t>(end_ - top_);
  if (have >= need) return true;
  size_t extra = need - have;
  if (static_cast<size_t>(end_ - base_) + extra > kMaxSpan) return false;
  char* p = static_cast<char*>(grow_(extra, ctx_));
  if (p != end_) return false;  // refused (or not contiguous: unusable)
  end_ += extra;
  return true;
}

void* BlockHeap::allocate(size_t n) {
  if (n > kMaxRequest) return nullptr;
  if (!base_ && !init()) return nullptr;
  size_t size = block_size(n);
  if (char* b = take_free(size)) {
    carve(b, size);
    return b + kHeader;
  }
  if (!grow_top(size)) return nullptr;
  char* b = top_;
  top_ += size;
  set_header(b, size, 0);  // the block before the top is never free
  return b + kHeader;
}

void BlockHeap::free_block(char* b) {
  size_t size = size_of(b);
  char* next = b + size;
  if (next != top_ && (flags_of(next) & kFree)) {
    unlink(next);
    size += size_of(next);
  }
  if (flags_of(b) & kPrevFree) {
    size_t prev_size = load(b - 4);
    b -= prev_size;
    unlink(b);
    size += prev_size;
  }
  next = b + size;
  if (next == top_) {  // back to the top: no hole at the end
    top_ = b;
    return;
  }
  set_header(b, size, kFree);  // the block before a free block is used
  set_footer(b, size);
  link(b);
  set_flag(next, kPrevFree);
}

void BlockHeap::release(void* p) {
  if (p) free_block(static_cast<char*>(p) - kHeader);
}

void* BlockHeap::reallocate(void* p, size_t n) {
  if (!p) return allocate(n);
  if (n == 0) {  // newlib's realloc(p, 0): frees, returns NULL
    release(p);
    return nullptr;
  }
  if (n > kMaxRequest) return nullptr;
  char* b = static_cast<char*>(p) - kHeader;
  size_t size = block_size(n), cur = size_of(b);
  uint32_t prev_flag = flags_of(b) & kPrevFree;
  if (size <= cur) {  // shrink in place; the tail goes back
    if (cur - size >= kMinBlock) {
      set_header(b, size, prev_flag);
      char* rest = b + size;
      set_header(rest, cur - size, 0);
      free_block(rest);
    }
    return p;
  }
  char* next = b + cur;
  if (next == top_) {  // the last block: grow into the top
    if (grow_top(size - cur)) {
      top_ += size - cur;
      set_header(b, size, prev_flag);
      return p;
    }
  } else if ((flags_of(next) & kFree) && cur + size_of(next) >= size) {
    size_t total = cur + size_of(next);
    unlink(next);
    if (total - size >= kMinBlock) {
      char* rest = b + size;
      set_header(rest, total - size, kFree);
      set_footer(rest, total - size);
      link(rest);
      set_header(b, size, prev_flag);
    } else {
      set_header(b, total, prev_flag);
      if (b + total != top_) clear_flag(b + total, kPrevFree);
    }
    return p;
  }
  void* q = allocate(n);
  if (!q) return nullptr;  // p stays valid, as C's realloc promises
  std::memcpy(q, p, cur - kHeader);
  release(p);
  return q;
}

void* BlockHeap::allocate_zeroed(size_t count, size_t size) {
  if (size && count > kMaxRequest / size) return nullptr;
  void* p = allocate(count * size);
  if (p) std::memset(p, 0, usable_size(p));
  return p;
}

size_t BlockHeap::usable_size(const void* p) {
  return p ? size_of(static_cast<const char*>(p) - kHeader) - kHeader : 0;
}

bool BlockHeap::check(Stats* out) const {
  Stats s;
  if (base_) {
    bool prev_free = false;
    for (const char* b = base_; b < top_;) {
      size_t size = size_of(b);
      uint32_t f = flags_of(b);
      if (size < kMinBlock || size % kAlign || b + size > top_) return false;
      if (((f & kPrevFree) != 0) != prev_free) return false;
      prev_free = (f & kFree) != 0;
      if (prev_free) {
        if (load(b + size - 4) != size || b + size == top_) return false;
        s.free_blocks++;
        s.free_bytes += size;
      } else {
        s.blocks++;
        s.payload += size - kHeader;
      }
      b += size;
    }
    size_t listed = 0;
    for (unsigned bin = 0; bin < kBins; bin++) {
      bool mapped = (map_[bin / 32] >> (bin % 32)) & 1;
      if (mapped != (heads_[bin] != kNoHead)) return false;
      uint32_t prev = kNone;
      for (uint32_t o = head(bin); o != kNone; o = load(at(o) + 4)) {
        const char* b = at(o);
        if (!(flags_of(b) & kFree) || bin_of(size_of(b)) != bin || load(b + 8) != prev) return false;
        if (++listed > s.free_blocks) return false;
        prev = o;
      }
    }
    if (listed != s.free_blocks) return false;
    s.span = static_cast<size_t>(top_ - base_);
    s.top_spare = static_cast<size_t>(end_ - top_);
  }
  if (out) *out = s;
  return true;
}

}  // namespace mcujs::mps2
