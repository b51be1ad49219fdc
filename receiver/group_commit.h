// Group commit: events that arrive while a COMMIT is on its way to disk are
// gathered and stored together in the next transaction (synchronous=FULL
// kept: one fsync for the group instead of one per event). An event that
// finds the committer idle is committed at once; the ones that queue up
// meanwhile form the next group, which may wait up to a quarter of the last
// commit's time for the devices just answered (run()). Each caller's callback runs after
// the COMMIT of the transaction that holds its event, on the answerer (the
// server's threads), so that the committer starts the next group at once.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "store.h"

namespace mcujs_receiver {

class GroupCommitter {
 public:
  using Done = std::function<void(const InsertOutcome&)>;
  // Runs a group's callbacks somewhere else (e.g. Server::post).
  using Answerer = std::function<void(std::function<void()>)>;
  explicit GroupCommitter(Store& store, size_t max_batch = 512);
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Before start(); without one the committer's thread answers itself.
  void set_answerer(Answerer a) { answer_ = std::move(a); }
  void start();
  // Queues the event; `done` runs after the commit. `since_answer_us`: how
  // long after its connection's previous answer the event came (-1: unknown;
  // averaged for Stats::return_ms, where the time of a device's cycle goes).
  void submit(NewEvent ev, AlarmMailPolicy mail, int64_t since_answer_us, Done done);
  // Commits what is queued, then joins the thread.
  void stop();

  // Where the time goes (logged at stop; docs/bench.md).
  struct Stats {
    int64_t groups = 0, events = 0, largest = 0;
    double commit_ms = 0;  // inside insert_events: BEGIN .. COMMIT (the fsync)
    double sync_ms = 0;    // of which the COMMIT statement (WAL writes + fsync)
    double queued_ms = 0;  // from submit() to its group's BEGIN, summed over events
    double return_ms = -1;  // devices came back this long after their answer (running average; -1 unknown)
  };
  Stats stats();

 private:
  void run();
  Store& store_;
  const size_t max_batch_;
  Answerer answer_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Store::Insert> queue_;
  std::vector<Done> done_;
  std::vector<std::chrono::steady_clock::time_point> since_;
  bool stop_ = false;
  size_t wake_at_ = 1;     // submit() wakes the committer at this queue length
  double return_us_ = -1;  // running average of since_answer_us (-1: none yet)
  Stats stats_;
  std::thread worker_;
};

}  // namespace mcujs_receiver
