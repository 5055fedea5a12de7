// WriterLock: flock and pid file.
#include "archive/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "archive/layout.hpp"
#include "panmun/errors.hpp"

namespace panmun::archive {

namespace {

// Whether `fd` is still the file at `path`: a replacement of the archive (replace_archive) may
// have moved the directory whose lock a waiting writer was given.
bool still_at(int fd, const std::string& path) {
    struct stat held {
    }, now{};
    return ::fstat(fd, &held) == 0 && ::stat(path.c_str(), &now) == 0 &&
           held.st_dev == now.st_dev && held.st_ino == now.st_ino;
}

}  // namespace

WriterLock::WriterLock(const std::string& dir, bool wait) {
    const std::string path = sub(dir, lock_name);
    for (int attempt = 1;; ++attempt) {
        fd_ = UniqueFd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
        if (!fd_) {
            // Between the renames of a replacement the archive is missing for a moment.
            if (errno == ENOENT && attempt < 100) {
                ::usleep(10000);
                continue;
            }
            throw ArchiveError(dir, "cannot open lock file: " + std::string(std::strerror(errno)));
        }
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
        if (still_at(fd_.get(), path)) break;
        // The archive was replaced while this writer waited: its lock is the new archive's.
    }
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_.get(), 0) != 0 ||
        ::pwrite(fd_.get(), pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
        throw ArchiveError(dir, "cannot write lock file: " + std::string(std::strerror(errno)));
}

}  // namespace panmun::archive
