// Threads of the archive's code: the shards of an archive work at once, each on its own.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace panmun::archive {

// Runs f(0) .. f(n-1) at once, f(0) on this thread and each other on a thread of its own (the
// shards of an archive: each touches only its own index and store); waits for all of them, then
// rethrows the first failure.
void at_once(std::size_t n, const std::function<void(std::size_t)>& f);

// A thread that runs the jobs posted to it, one after another (a shard's additions and commits).
// After a job fails, the rest posted before the next wait() are dropped (destroyed unrun).
class SerialWorker {
public:
    SerialWorker();
    ~SerialWorker();  // runs what was posted, then ends
    void post(std::function<void()> job);
    // Waits until every job posted has run; returns the failure since the last wait(), if any.
    std::exception_ptr wait();
    bool failed();  // whether a job failed since the last wait()
    // How many commits of its shard have ended (set by the jobs that commit).
    std::atomic<std::uint64_t> commits{0};

private:
    void run();
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::function<void()>> jobs_;
    bool busy_ = false, stopping_ = false;
    std::exception_ptr failed_;
    std::thread thread_;
};

// Runs f(0) .. f(n-1) shared among this thread and as many helper threads as the machine has
// cores more (k on lane k % lanes), as at_once() does, but with threads kept for the next call
// (a reader's searches: making a thread costs more than reading a document). For one caller
// at a time.
class HelperThreads {
public:
    void each(std::size_t n, const std::function<void(std::size_t)>& f);

private:
    std::vector<std::unique_ptr<SerialWorker>> helpers_;
};

}  // namespace panmun::archive
