// Group commit: events that arrive while a COMMIT is on its way to disk are
// gathered and stored together in the next transaction (synchronous=FULL
// kept: one fsync for the group instead of one per event). Each caller's
// callback runs after the COMMIT of the transaction that holds its event.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "store.h"

namespace mcujs_receiver {

class GroupCommitter {
 public:
  using Done = std::function<void(const InsertOutcome&)>;
  explicit GroupCommitter(Store& store, size_t max_batch = 512);
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  void start();
  // Queues the event; `done` runs on the committer's thread after the commit.
  void submit(NewEvent ev, AlarmMailPolicy mail, Done done);
  // Commits what is queued, then joins the thread.
  void stop();

 private:
  void run();
  Store& store_;
  const size_t max_batch_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Store::Insert> queue_;
  std::vector<Done> done_;
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace mcujs_receiver
