// WriterLock: flock and pid file.
#include "archive/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "archive/layout.hpp"
#include "panmun/errors.hpp"

namespace panmun::archive {

WriterLock::WriterLock(const std::string& dir, bool wait) {
    std::string path = sub(dir, lock_name);
    fd_ = UniqueFd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!fd_)
        throw ArchiveError(dir, "cannot open lock file: " + std::string(std::strerror(errno)));
    if (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
        char buf[32] = {};
        ssize_t n = ::pread(fd_.get(), buf, sizeof buf - 1, 0);
        std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "?";
        while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
        if (!wait) throw ArchiveLockedError(dir, "is being updated by pid " + pid);
        while (::flock(fd_.get(), LOCK_EX) != 0)
            if (errno != EINTR)
                throw ArchiveError(dir, "cannot lock: " + std::string(std::strerror(errno)));
    }
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_.get(), 0) != 0 ||
        ::pwrite(fd_.get(), pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
        throw ArchiveError(dir, "cannot write lock file: " + std::string(std::strerror(errno)));
}

}  // namespace panmun::archive
