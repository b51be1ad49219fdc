#include "group_commit.h"

namespace mcujs_receiver {

GroupCommitter::GroupCommitter(Store& store, size_t max_batch) : store_(store), max_batch_(max_batch) {}

GroupCommitter::~GroupCommitter() { stop(); }

void GroupCommitter::start() { worker_ = std::thread([this] { run(); }); }

void GroupCommitter::submit(NewEvent ev, AlarmMailPolicy mail, Done done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back({std::move(ev), std::move(mail)});
    done_.push_back(std::move(done));
  }
  cv_.notify_one();
}

void GroupCommitter::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  if (worker_.joinable()) worker_.join();
}

void GroupCommitter::run() {
  std::vector<Store::Insert> batch;
  std::vector<Done> done;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      // Everything that arrived during the last commit, up to max_batch_.
      size_t n = std::min(queue_.size(), max_batch_);
      batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + n));
      done.assign(std::make_move_iterator(done_.begin()), std::make_move_iterator(done_.begin() + n));
      queue_.erase(queue_.begin(), queue_.begin() + n);
      done_.erase(done_.begin(), done_.begin() + n);
    }
    std::vector<InsertOutcome> outs = store_.insert_events(batch);
    for (size_t i = 0; i < done.size(); i++) done[i](outs[i]);
    batch.clear();
    done.clear();
  }
}

}  // namespace mcujs_receiver
