#include "group_commit.h"

#include <memory>

#include "log.h"

namespace mcujs_receiver {

GroupCommitter::GroupCommitter(Store& store, size_t max_batch) : store_(store), max_batch_(max_batch) {}

GroupCommitter::~GroupCommitter() { stop(); }

void GroupCommitter::start() { worker_ = std::thread([this] { run(); }); }

void GroupCommitter::submit(NewEvent ev, AlarmMailPolicy mail, int64_t since_answer_us, Done done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (since_answer_us >= 0) {
      // Devices that post once a minute must not pull the average far: 100 ms at most.
      double sample = static_cast<double>(std::min<int64_t>(since_answer_us, 100000));
      return_us_ = return_us_ < 0 ? sample : return_us_ + (sample - return_us_) / 8;
    }
    queue_.push_back({std::move(ev), std::move(mail)});
    done_.push_back(std::move(done));
    since_.push_back(std::chrono::steady_clock::now());
    // Wake the committer only when it waits for this many events: while it
    // gathers a group, the events before the last one wake nobody (a futex
    // call and a context switch each).
    if (queue_.size() < wake_at_) return;
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

GroupCommitter::Stats GroupCommitter::stats() {
  std::lock_guard<std::mutex> lock(mu_);
  Stats s = stats_;
  s.return_ms = return_us_ < 0 ? -1 : return_us_ / 1000;
  return s;
}

void GroupCommitter::run() {
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::vector<Store::Insert> batch;
  size_t answered = 0;            // events of the last group (their devices may be on their way back)
  size_t queued_at_end = 0;       // events that arrived during the last commit
  Clock::duration last_commit{};  // how long the last group took
  for (;;) {
    auto done = std::make_shared<std::vector<Done>>();
    Clock::time_point begin;
    double queued = 0;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_at_ = 1;
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      // Kept-alive devices split into two halves that take turns (one half
      // commits while the other half's answers travel), each fsync holding
      // half the events it could. When events queued up during the last
      // commit, give the devices it just answered up to a quarter of a
      // commit's time to send their next event, so that both halves share
      // one fsync (8 devices: +73 % events/s over three A/B runs, 32: even;
      // half a commit cost 32 devices 20 %). Never when the committer was
      // idle: a lone event is committed at once. (Waiting for the answered
      // devices as long as they usually take to come back, when that is
      // shorter than a commit, gained 8 devices -6..+15 % and cost 32
      // devices 13..19 % in four A/B runs, December 2026: not kept.)
      if (queued_at_end > 0 && answered > 0 && !stop_) {
        wake_at_ = std::min(max_batch_, queue_.size() + answered);
        cv_.wait_for(lock, last_commit / 4, [&] { return stop_ || queue_.size() >= wake_at_; });
      }
      wake_at_ = SIZE_MAX;  // committing: nobody waits
      if (queue_.empty()) return;  // stopping, nothing left
      // Everything that arrived, up to max_batch_.
      size_t n = std::min(queue_.size(), max_batch_);
      begin = Clock::now();
      for (size_t i = 0; i < n; i++) queued += ms(begin - since_[i]);
      batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + n));
      done->assign(std::make_move_iterator(done_.begin()), std::make_move_iterator(done_.begin() + n));
      queue_.erase(queue_.begin(), queue_.begin() + n);
      done_.erase(done_.begin(), done_.begin() + n);
      since_.erase(since_.begin(), since_.begin() + n);
    }
    auto outs = std::make_shared<std::vector<InsertOutcome>>(store_.insert_events(batch));
    last_commit = Clock::now() - begin;
    answered = batch.size();
    double commit = ms(last_commit);
    {
      std::lock_guard<std::mutex> lock(mu_);
      queued_at_end = queue_.size();
      stats_.groups++;
      stats_.events += static_cast<int64_t>(batch.size());
      stats_.largest = std::max<int64_t>(stats_.largest, static_cast<int64_t>(batch.size()));
      stats_.commit_ms += commit;
      stats_.sync_ms += store_.last_commit_ms();
      stats_.queued_ms += queued;
    }
    batch.clear();
    auto answer = [done, outs] {
      LogBatch lines;  // the group's log lines in one write
      for (size_t i = 0; i < done->size(); i++) (*done)[i]((*outs)[i]);
    };
    if (answer_)
      answer_(std::move(answer));
    else
      answer();
  }
}

}  // namespace mcujs_receiver
