// Live native objects of one binding module, so that the module's slot can
// close them all at runtime teardown, before the state they use (the TLS
// context, the event loop) goes away. The JS object still owns the memory;
// its finalizer unlinks and frees it later.
#pragma once

namespace mcujs::bind {

template <typename T>
class Registry {
 public:
  struct Node {
    Node* prev = nullptr;
    Node* next = nullptr;
    Registry* owner = nullptr;  // null once the registry is gone
    T* self = nullptr;
  };

  void link(T* t) {
    Node& n = t->node;
    n.owner = this;
    n.self = t;
    n.prev = nullptr;
    n.next = head_;
    if (head_) head_->prev = &n;
    head_ = &n;
  }
  static void unlink(T* t) {
    Node& n = t->node;
    if (!n.owner) return;
    if (n.prev) n.prev->next = n.next; else n.owner->head_ = n.next;
    if (n.next) n.next->prev = n.prev;
    n = Node{};
  }
  // Calls f(T*) on every live object and forgets them all.
  template <typename F>
  void release_all(F f) {
    while (head_) {
      T* t = head_->self;
      unlink(t);
      f(t);
    }
  }

 private:
  Node* head_ = nullptr;
};

}  // namespace mcujs::bind
