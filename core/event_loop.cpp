#include "core/event_loop.h"

namespace mcujs::core {

void EventLoop::add(IoSource* s) {
  if (s->linked_) return;
  s->prev_ = nullptr;
  s->next_ = head_;
  if (head_) head_->prev_ = s;
  head_ = s;
  s->linked_ = true;
}

void EventLoop::remove(IoSource* s) {
  if (!s->linked_) return;
  if (iter_next_ == s) iter_next_ = s->next_;
  if (s->prev_) s->prev_->next_ = s->next_; else head_ = s->next_;
  if (s->next_) s->next_->prev_ = s->prev_;
  s->prev_ = s->next_ = nullptr;
  s->linked_ = false;
}

void EventLoop::poll_sources() {
  // A source may remove itself or others while polled; iter_next_ follows.
  IoSource* saved = iter_next_;
  for (IoSource* s = head_; s; s = iter_next_) {
    iter_next_ = s->next_;
    s->poll();
  }
  iter_next_ = saved;
}

bool EventLoop::any_busy() const {
  for (IoSource* s = head_; s; s = s->next_)
    if (s->busy()) return true;
  return false;
}

uint64_t EventLoop::next_deadline() const {
  uint64_t d = kNever;
  for (IoSource* s = head_; s; s = s->next_) {
    uint64_t sd = s->deadline();
    if (sd < d) d = sd;
  }
  return d;
}

void EventLoop::service(uint32_t max_wait_ms) {
  uint64_t t = now();
  uint64_t d = next_deadline();
  uint32_t wait = max_wait_ms;
  if (d != kNever) wait = d <= t ? 0 : (d - t < wait ? static_cast<uint32_t>(d - t) : wait);
  if (wait > 0) {
    // Idle (nothing in flight): a simulated clock jumps to the deadline and
    // I/O is only checked; otherwise wait for real (see port::Clock::skip).
    if (!any_busy() && platform_.clock->skip(wait)) platform_.poller->wait(0);
    else platform_.poller->wait(wait);
  }
  poll_sources();
}

}  // namespace mcujs::core
