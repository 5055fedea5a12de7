#include "archive/threads.hpp"

#include <algorithm>
#include <future>
#include <utility>
#include <vector>

namespace panmun::archive {

void at_once(std::size_t n, const std::function<void(std::size_t)>& f) {
    std::vector<std::future<void>> others;
    for (std::size_t i = 1; i < n; ++i) others.push_back(std::async(std::launch::async, f, i));
    std::exception_ptr failed;
    try {
        if (n) f(0);
    } catch (...) {
        failed = std::current_exception();
    }
    for (auto& other : others) try {
            other.get();
        } catch (...) {
            if (!failed) failed = std::current_exception();
        }
    if (failed) std::rethrow_exception(failed);
}

SerialWorker::SerialWorker() : thread_([this] { run(); }) {}

SerialWorker::~SerialWorker() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void SerialWorker::post(std::function<void()> job) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    changed_.notify_all();
}

bool SerialWorker::failed() {
    std::lock_guard<std::mutex> lock(mutex_);
    return failed_ != nullptr;
}

std::exception_ptr SerialWorker::wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return jobs_.empty() && !busy_; });
    return std::exchange(failed_, nullptr);
}

void SerialWorker::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        changed_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping, and nothing left
        std::function<void()> job = std::move(jobs_.front());
        jobs_.pop_front();
        if (failed_) {  // dropped: a job before it failed
            job = {};
            changed_.notify_all();  // the queue may be empty now: wait() returns
            continue;
        }
        busy_ = true;
        lock.unlock();
        std::exception_ptr failed;
        try {
            job();
        } catch (...) {
            failed = std::current_exception();
        }
        job = {};  // and what it holds, before wait() returns
        lock.lock();
        busy_ = false;
        if (failed) failed_ = failed;
        changed_.notify_all();
    }
}

void HelperThreads::each(std::size_t n, const std::function<void(std::size_t)>& f) {
    const std::size_t lanes =
        std::min<std::size_t>(n, std::max(1u, std::thread::hardware_concurrency()));
    while (helpers_.size() + 1 < lanes) helpers_.push_back(std::make_unique<SerialWorker>());
    for (std::size_t lane = 1; lane < lanes; ++lane)
        helpers_[lane - 1]->post([&f, lane, lanes, n] {
            for (std::size_t k = lane; k < n; k += lanes) f(k);
        });
    std::exception_ptr failed;
    try {
        for (std::size_t k = 0; k < n; k += lanes) f(k);
    } catch (...) {
        failed = std::current_exception();
    }
    for (std::size_t lane = 1; lane < lanes; ++lane)
        if (std::exception_ptr e = helpers_[lane - 1]->wait(); e && !failed) failed = e;
    if (failed) std::rethrow_exception(failed);
}

}  // namespace panmun::archive
