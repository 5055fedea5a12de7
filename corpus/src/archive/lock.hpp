// The writer lock of an archive (internal): an flock on NAME.panmun/lock, which also records the
// holder's pid for the message a second writer gets. Closing the file releases it.
#pragma once

#include <string>

#include "unique_fd.hpp"

namespace panmun::archive {

class WriterLock {
public:
    // Takes the lock of the archive at `dir`. Throws ArchiveLockedError naming the holder's pid
    // if another process has it, unless `wait`, which blocks until it is released.
    explicit WriterLock(const std::string& dir, bool wait = false);

private:
    UniqueFd fd_;  // closing it releases the flock
};

}  // namespace panmun::archive
